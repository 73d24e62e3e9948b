using System;
using System.Collections.Generic;
using System.IO;
using Osv.Core.Tests.Diagnostics;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>
/// Real ELF objects built by gcc and ld for the ELF tests, once per test run: a versioned shared library with
/// TLS, an IFUNC and DT_HASH besides DT_GNU_HASH; an application linked against it as a PIE, hardened (fortify,
/// stack protector, -z now), as a fixed-address executable (COPY relocations), with packed DT_RELR; and a static PIE.
/// </summary>
public sealed class GccElfObjects : IDisposable
{
    public const string LibrarySource = """
        __thread int lib_tls_counter = 5;
        static __thread int lib_static_tls = 7;
        int lib_data = 42;
        const char *lib_names[] = { "alpha", "beta", "gamma" };
        extern int missing_weak __attribute__((weak));
        int lib_add(int a, int b) { return a + b + lib_tls_counter + lib_static_tls; }
        int *lib_weak_address(void) { return &missing_weak; }
        static int twice_impl(int x) { return x * 2; }
        static void *resolve_twice(void) { return (void *)twice_impl; }
        int lib_twice(int x) __attribute__((ifunc("resolve_twice")));
        int lib_call_twice(int x) { return lib_twice(x) + 1; }
        int versioned_old(void) { return 1; }
        int versioned_new(void) { return 2; }
        __asm__(".symver versioned_old, lib_versioned@OSV_1.0");
        __asm__(".symver versioned_new, lib_versioned@@OSV_2.0");
        """;

    public const string LibraryVersionScript = """
        OSV_1.0 { global: lib_add; lib_data; lib_names; lib_tls_counter; lib_twice; lib_call_twice; lib_weak_address; lib_versioned; local: *; };
        OSV_2.0 { } OSV_1.0;
        """;

    public const string ApplicationSource = """
        #include <stdio.h>
        #include <string.h>
        extern int lib_add(int, int);
        extern int lib_data;
        extern __thread int lib_tls_counter;
        extern int lib_twice(int);
        extern int lib_versioned(void);
        __thread long app_tls = 9;
        static const char *greetings[] = { "hello", "world" };
        extern int undefined_weak_function(void) __attribute__((weak));
        int main(int argc, char **argv)
        {
            char buffer[32];
            strcpy(buffer, argv[0]);
            printf("%s %d %d %ld %d %d\n", greetings[argc & 1], lib_add(argc, 2), lib_data + lib_tls_counter, app_tls,
                lib_twice(argc), lib_versioned());
            if (undefined_weak_function)
                undefined_weak_function();
            fputs(buffer, stdout);
            return 0;
        }
        """;

    public const string StaticSource = """
        #include <stdio.h>
        __thread int counter = 3;
        static const char *names[] = { "a", "b", "c" };
        const char **table = names;
        int main(int argc, char **argv) { printf("%s %d\n", table[argc % 3], counter++); return 0; }
        """;

    private readonly string _directory;
    private readonly Dictionary<string, string> _paths = new();

    public const string Library = "libosvtest.so";
    public const string Pie = "app-pie";
    public const string Hardened = "app-hardened";
    public const string FixedAddress = "app-exec";
    public const string PackedRelative = "app-relr";
    public const string StaticPie = "static-pie";

    public static readonly string[] Names = { Library, Pie, Hardened, FixedAddress, PackedRelative, StaticPie };

    public GccElfObjects()
    {
        _directory = Path.Combine(Path.GetTempPath(), "osv-elf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        string library = Write("lib.c", LibrarySource);
        string script = Write("lib.map", LibraryVersionScript);
        string application = Write("app.c", ApplicationSource);
        string staticSource = Write("static.c", StaticSource);
        Build(Library, "-shared", "-fPIC", "-O2", "-Wl,-soname,libosvtest.so", "-Wl,--version-script=" + script,
            "-Wl,--hash-style=both", "-Wl,--enable-new-dtags,-rpath,/opt/osv/lib", library);
        string[] link = { application, "-L" + _directory, "-losvtest" };
        Build(Pie, Join(new[] { "-fPIE", "-pie", "-O2" }, link));
        Build(Hardened, Join(new[] { "-fPIE", "-pie", "-O2", "-D_FORTIFY_SOURCE=2", "-fstack-protector-strong", "-Wl,-z,now" }, link));
        Build(FixedAddress, Join(new[] { "-fno-pie", "-no-pie", "-O2" }, link));
        Build(PackedRelative, Join(new[] { "-fPIE", "-pie", "-O2", "-Wl,-z,pack-relative-relocs" }, link));
        Build(StaticPie, "-static-pie", "-O2", staticSource);
    }

    public string this[string name] => _paths[name];

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private void Build(string name, params string[] arguments)
    {
        string output = Path.Combine(_directory, name);
        Tools.Run("gcc", Join(new[] { "-o", output }, arguments));
        _paths[name] = output;
    }

    private static string[] Join(string[] first, string[] second)
    {
        var all = new string[first.Length + second.Length];
        first.CopyTo(all, 0);
        second.CopyTo(all, first.Length);
        return all;
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class ElfCollection : ICollectionFixture<GccElfObjects>
{
    public const string Name = "ELF objects";
}

/// <summary>The objects every oracle test runs over: gcc's (by name) and Debian's own that are installed.</summary>
public static class ElfSubjects
{
    public static readonly string[] SystemFiles =
    {
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/x86_64-linux-gnu/libm.so.6",
        "/lib64/ld-linux-x86-64.so.2",
        "/usr/bin/jq",
        "/usr/bin/mawk",
        "/usr/bin/sqlite3",
        "/usr/bin/lua5.4",
    };

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (string name in GccElfObjects.Names)
            data.Add(name);
        foreach (string path in SystemFiles)
        {
            if (File.Exists(path))
                data.Add(path);
        }
        return data;
    }

    public static string PathOf(GccElfObjects objects, string subject) => subject.StartsWith('/') ? subject : objects[subject];
}

/// <summary>A fact that reports itself skipped, with the reason, when a system file is not installed.</summary>
public sealed class FactRequiringFileAttribute : FactAttribute
{
    public FactRequiringFileAttribute(string path)
    {
        if (!File.Exists(path))
            Skip = path + " is not installed on this machine";
    }
}
