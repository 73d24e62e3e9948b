using System;
using Osv.Core.Text;

namespace Osv.Core.Boot;

/// <summary>
/// Parses the OSv-compatible kernel command line: options first, then commands.
/// <code>
/// --rootfs=zfs --env=HOME=/ /usr/bin/app "an arg" ; /bin/other &amp; /bin/last
/// </code>
/// Options end at the first word that does not start with <c>--</c>, at a bare <c>--</c>, or
/// at a separator. A value option takes its value after <c>=</c> or as the next word.
/// Errors are returned, never thrown: the first problem found, as one line naming the option.
/// </summary>
public static class CommandLineParser
{
    public const string HelpText = """
        Usage: [options] /path/to/app [args...] [; or & more commands...]
        Options:
          --rootfs=<fs>                      root file system: rofs, zfs, ramfs or virtiofs
          --mount-fs=<type>,<device>,<path>  mount another file system (repeatable)
          --bootchart                        print boot-time statistics
          --verbose                          verbose boot output
          --env=NAME=VALUE                   set an environment variable (repeatable)
          --preload-zfs-library              load the ZFS library at boot, even without a ZFS mount
          --debug-fault=<kind>               fail on purpose: page, ud, gp, divide, triple, stack-overflow,
                                             lazy-stack-overflow, stack-rule, write-text, exec-data or throw
          --selftest                         check the kernel runtime (dispatch, casts, statics, heap) and exit (test image)
          --test=<suite>                     run an in-kernel test suite and exit (test image): threads, sync, timers, rcu, stacks, syscalls, libc, libcs, blk, vfs or all
          --bench=<name>                     run an in-kernel benchmark and exit (test image): threads, storage
          --help                             print this help
        Commands are separated by ';' (run one after another) or '&' (run in the background).
        Quote arguments with '...' or "...", or escape single characters with a backslash.

        """;

    public static CommandLineResult Parse(string commandLine)
    {
        CommandLineTokenizer tokenizer = new CommandLineTokenizer(commandLine);
        ParsedLists lists = new ParsedLists();
        KernelOptions options = new KernelOptions();

        CommandLineTokenKind kind = tokenizer.Next(out string? text);
        while (kind == CommandLineTokenKind.Word && CharSpans.StartsWithOrdinal(text, "--"))
        {
            if (text!.Length == 2)
            {
                kind = tokenizer.Next(out text); // a bare "--" ends the options
                break;
            }
            string? error = ParseOption(text, tokenizer, options, lists);
            if (error is not null)
                return CommandLineResult.Failure(error);
            kind = tokenizer.Next(out text);
        }

        string[] argv = new string[4];
        int argc = 0;
        while (true)
        {
            if (kind == CommandLineTokenKind.Error)
                return CommandLineResult.Failure(text!);
            if (kind == CommandLineTokenKind.Word)
            {
                argv = Append(argv, ref argc, text!);
            }
            else if (argc != 0) // a separator or the end closes a command; empty ones are skipped
            {
                AppCommand command = new AppCommand(Trim(argv, argc), kind == CommandLineTokenKind.Background);
                lists.Commands = Append(lists.Commands, ref lists.CommandCount, command);
                argc = 0;
            }
            if (kind == CommandLineTokenKind.End)
                break;
            kind = tokenizer.Next(out text);
        }

        options.Mounts = Trim(lists.Mounts, lists.MountCount);
        options.Environment = Trim(lists.Environment, lists.EnvironmentCount);
        options.Commands = Trim(lists.Commands, lists.CommandCount);
        return CommandLineResult.Success(options);
    }

    // Returns null on success, else the error message.
    private static string? ParseOption(string word, CommandLineTokenizer tokenizer, KernelOptions options, ParsedLists lists)
    {
        int equals = CharSpans.IndexOf(word, '=');
        ReadOnlySpan<char> name = equals < 0 ? word : ((ReadOnlySpan<char>)word).Slice(0, equals);
        bool hasValue = equals >= 0;

        if (CharSpans.EqualsOrdinal(name, "--bootchart"))
        {
            if (hasValue)
                return TakesNoValue(name);
            options.Bootchart = true;
            return null;
        }
        if (CharSpans.EqualsOrdinal(name, "--verbose"))
        {
            if (hasValue)
                return TakesNoValue(name);
            options.Verbose = true;
            return null;
        }
        if (CharSpans.EqualsOrdinal(name, "--preload-zfs-library"))
        {
            if (hasValue)
                return TakesNoValue(name);
            options.PreloadZfsLibrary = true;
            return null;
        }
        if (CharSpans.EqualsOrdinal(name, "--selftest"))
        {
            if (hasValue)
                return TakesNoValue(name);
            options.SelfTest = true;
            return null;
        }
        if (CharSpans.EqualsOrdinal(name, "--help"))
        {
            if (hasValue)
                return TakesNoValue(name);
            options.ShowHelp = true;
            return null;
        }

        bool isRootFs = CharSpans.EqualsOrdinal(name, "--rootfs");
        bool isMount = CharSpans.EqualsOrdinal(name, "--mount-fs");
        bool isEnv = CharSpans.EqualsOrdinal(name, "--env");
        bool isDebugFault = CharSpans.EqualsOrdinal(name, "--debug-fault");
        bool isTest = CharSpans.EqualsOrdinal(name, "--test");
        bool isBench = CharSpans.EqualsOrdinal(name, "--bench");
        if (!isRootFs && !isMount && !isEnv && !isDebugFault && !isTest && !isBench)
            return Message("unknown option '", name, "'");

        string? value = ReadValue(word, equals, tokenizer, out string? tokenError);
        if (tokenError is not null)
            return tokenError;
        if (value is null || value.Length == 0)
            return Message(name, ": missing value", "");

        if (isRootFs)
            return ParseRootFs(value, options);
        if (isMount)
            return ParseMount(value, lists);
        if (isEnv)
            return ParseEnvironment(value, lists);
        if (isTest)
            return ParseTestSuite(value, options);
        if (isBench)
            return ParseBenchmark(value, options);
        return ParseDebugFault(value, options);
    }

    // The value after '=', or else the next word; null when no word follows.
    private static string? ReadValue(string word, int equals, CommandLineTokenizer tokenizer, out string? tokenError)
    {
        tokenError = null;
        if (equals >= 0)
            return word.Substring(equals + 1, word.Length - equals - 1);
        CommandLineTokenKind kind = tokenizer.Next(out string? next);
        if (kind == CommandLineTokenKind.Error)
            tokenError = next;
        return kind == CommandLineTokenKind.Word ? next : null;
    }

    private static string? ParseRootFs(string value, KernelOptions options)
    {
        if (options.RootFs is not null)
            return "--rootfs: given more than once";
        if (value != "rofs" && value != "zfs" && value != "ramfs" && value != "virtiofs")
            return Message("--rootfs: unknown file system '", value, "' (expected rofs, zfs, ramfs or virtiofs)");
        options.RootFs = value;
        return null;
    }

    private static string? ParseMount(string value, ParsedLists lists)
    {
        int firstComma = CharSpans.IndexOf(value, ',');
        int secondComma = firstComma < 0 ? -1 : firstComma + 1 + CharSpans.IndexOf(((ReadOnlySpan<char>)value).Slice(firstComma + 1), ',');
        bool threeNonEmptyParts = CharSpans.Count(value, ',') == 2
            && firstComma > 0 && secondComma > firstComma + 1 && secondComma < value.Length - 1;
        if (!threeNonEmptyParts)
            return Message("--mount-fs: expected <type>,<device>,<path>, got '", value, "'");

        string path = value.Substring(secondComma + 1, value.Length - secondComma - 1);
        if (path[0] != '/')
            return Message("--mount-fs: mount point '", path, "' is not an absolute path");
        MountRequest mount = new MountRequest(
            value.Substring(0, firstComma),
            value.Substring(firstComma + 1, secondComma - firstComma - 1),
            path);
        lists.Mounts = Append(lists.Mounts, ref lists.MountCount, mount);
        return null;
    }

    private static string? ParseEnvironment(string value, ParsedLists lists)
    {
        if (CharSpans.IndexOf(value, '=') <= 0)
            return Message("--env: expected NAME=VALUE, got '", value, "'");
        lists.Environment = Append(lists.Environment, ref lists.EnvironmentCount, value);
        return null;
    }

    private static string? ParseTestSuite(string value, KernelOptions options)
    {
        if (options.TestSuite is not null)
            return "--test: given more than once";
        if (value != "threads" && value != "sync" && value != "timers" && value != "rcu" && value != "stacks" && value != "syscalls" && value != "libc" && value != "libcs" && value != "blk" && value != "vfs" && value != "all")
            return Message("--test: unknown test suite '", value, "' (expected threads, sync, timers, rcu, stacks, syscalls, libc, libcs, blk, vfs or all)");
        options.TestSuite = value;
        return null;
    }

    private static string? ParseBenchmark(string value, KernelOptions options)
    {
        if (options.Benchmark is not null)
            return "--bench: given more than once";
        if (value != "threads" && value != "storage")
            return Message("--bench: unknown benchmark '", value, "' (expected threads or storage)");
        options.Benchmark = value;
        return null;
    }

    private static string? ParseDebugFault(string value, KernelOptions options)
    {
        if (options.DebugFault is not null)
            return "--debug-fault: given more than once";
        if (value != "page" && value != "ud" && value != "gp" && value != "divide" && value != "triple"
            && value != "stack-overflow" && value != "write-text" && value != "exec-data" && value != "lazy-stack-overflow" && value != "stack-rule" && value != "throw")
            return Message("--debug-fault: unknown fault kind '", value, "' (expected page, ud, gp, divide, triple, stack-overflow, lazy-stack-overflow, stack-rule, write-text, exec-data or throw)");
        options.DebugFault = value;
        return null;
    }

    private static string TakesNoValue(ReadOnlySpan<char> name) => Message(name, ": takes no value", "");

    private static string Message(ReadOnlySpan<char> first, ReadOnlySpan<char> second, ReadOnlySpan<char> third) =>
        new TextBuilder().Append(first).Append(second).Append(third).Build();

    // Growable arrays without generics (the kernel corelib has no collections): one overload per element type.
    private static string[] Append(string[] items, ref int count, string item)
    {
        if (count == items.Length)
        {
            string[] larger = new string[items.Length * 2 + 1];
            new ReadOnlySpan<string>(items).CopyTo(larger);
            items = larger;
        }
        items[count++] = item;
        return items;
    }

    private static MountRequest[] Append(MountRequest[] items, ref int count, MountRequest item)
    {
        if (count == items.Length)
        {
            MountRequest[] larger = new MountRequest[items.Length * 2 + 1];
            new ReadOnlySpan<MountRequest>(items).CopyTo(larger);
            items = larger;
        }
        items[count++] = item;
        return items;
    }

    private static AppCommand[] Append(AppCommand[] items, ref int count, AppCommand item)
    {
        if (count == items.Length)
        {
            AppCommand[] larger = new AppCommand[items.Length * 2 + 1];
            new ReadOnlySpan<AppCommand>(items).CopyTo(larger);
            items = larger;
        }
        items[count++] = item;
        return items;
    }

    private static string[] Trim(string[] items, int count)
    {
        string[] exact = new string[count];
        new ReadOnlySpan<string>(items, 0, count).CopyTo(exact);
        return exact;
    }

    private static MountRequest[] Trim(MountRequest[] items, int count)
    {
        MountRequest[] exact = new MountRequest[count];
        new ReadOnlySpan<MountRequest>(items, 0, count).CopyTo(exact);
        return exact;
    }

    private static AppCommand[] Trim(AppCommand[] items, int count)
    {
        AppCommand[] exact = new AppCommand[count];
        new ReadOnlySpan<AppCommand>(items, 0, count).CopyTo(exact);
        return exact;
    }

    // The repeatable parts of the command line, collected while parsing.
    private sealed class ParsedLists
    {
        public MountRequest[] Mounts = new MountRequest[0];
        public int MountCount;
        public string[] Environment = new string[0];
        public int EnvironmentCount;
        public AppCommand[] Commands = new AppCommand[0];
        public int CommandCount;
    }
}
