using System;
using System.Linq;
using Osv.Cli.Commands;
using Osv.Cli.CommandLine;
using Osv.Cli.Infrastructure;

namespace Osv.Cli;

/// <summary>The `osv` command: dispatches to a verb and turns failures into messages and exit statuses.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            return Dispatch(args);
        }
        catch (UsageException error)
        {
            Console.Error.WriteLine($"osv: {error.Message}");
            Console.Error.Write(error.Usage);
            return error.ExitCode;
        }
        catch (OsvException error)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"osv: {error.Message}");
            if (!string.IsNullOrWhiteSpace(error.Details))
                Console.Error.WriteLine(error.Details.TrimEnd());
            return error.ExitCode;
        }
    }

    private static int Dispatch(string[] args)
    {
        if (args.Length == 0)
            throw new UsageException("no verb given", Usage.Main);

        string[] rest = args.Skip(1).ToArray();
        switch (args[0])
        {
            case "build":
                return BuildCommand.Execute(rest);
            case "run":
                return RunCommand.Execute(rest);
            case "test":
                return TestCommand.Execute(rest);
            case "symbols":
                return SymbolsCommand.Execute(rest);
            case "help":
            case "-h":
            case "--help":
                Console.Out.Write(Usage.Main);
                return 0;
            default:
                throw new UsageException($"unknown verb '{args[0]}'", Usage.Main);
        }
    }
}
