namespace Osv.Cli.CommandLine;

/// <summary>The help text of `osv` and of each verb.</summary>
public static class Usage
{
    public const string Main =
        "usage: osv <verb> [options]\n" +
        "\n" +
        "verbs:\n" +
        "  build   build build/x64/loader.elf (ILC, boot assembly, two-pass link with the kernel symbol table and musl's libc.a)\n" +
        "  symbols print the image's dynamic-symbol count, per-library counts and size\n" +
        "  run     boot the kernel in QEMU; exit with the kernel's exit status\n" +
        "  test    build, run every test project in Osv.sln, print 'N passed, N failed'\n" +
        "\n" +
        "'osv <verb> --help' shows a verb's options.\n";

    public const string Build =
        "usage: osv build [--tests] [--hide-symbols] [--manifest FILE] [--bootfs-manifest FILE] [--arch x64]\n" +
        "\n" +
        "  --tests          build the test image build/x64-tests/loader.elf instead: the in-kernel test\n" +
        "                   suites (--test=<suite>), --selftest, --bench, and run-time stack-rule checks\n" +
        "  --hide-symbols   export only the symbols listed in exported_symbols/ (version script with\n" +
        "                   'local: *') and drop unreferenced code (--gc-sections): build/x64-hidden/loader.elf\n" +
        "  --manifest FILE  also build usr.img beside the image: the manifest's files as a rofs file system\n" +
        "                   on partition 1 of an MBR disk (lines '/guest/path: host/path',\n" +
        "                   '/dir/**: host/dir/**', '/link -> target'; host paths relative to the manifest)\n" +
        "  --bootfs-manifest FILE  pack the manifest's files (same syntax) as bootfs into the kernel image;\n" +
        "                   the kernel unpacks them into its ramfs root (--rootfs=ramfs, or no disk). Without\n" +
        "                   it the image carries an empty archive. osv run rebuilds without it when sources\n" +
        "                   changed: build first, then osv run --no-build\n" +
        "  --arch ARCH      target architecture (only x64 for now)\n";

    public const string Symbols =
        "usage: osv symbols [--tests] [--hide-symbols] [--arch x64]\n" +
        "\n" +
        "Prints the dynamic-symbol count of the built image, how many of each library's listed symbols it\n" +
        "exports, and its size in bytes. The options pick the image as for osv build; nothing is built.\n";

    public const string Run =
        "usage: osv run [-e \"<cmdline>\"] [--memory 128M] [--cpus N] [--machine q35|microvm] [--timeout S] [--disk FILE]... [--no-build] [--tests] [--icount SHIFT]\n" +
        "\n" +
        "  -e CMDLINE       kernel command line (default: /hello, the default application in the image)\n" +
        "  --memory SIZE    guest memory, e.g. 64M or 1G (default 128M)\n" +
        "  --cpus N         virtual CPUs, 1-255 (default 1)\n" +
        "  --machine TYPE   q35 or microvm (default q35)\n" +
        "  --timeout S      kill the VM after S seconds (default 60)\n" +
        "  --disk FILE      attach a raw disk image as a virtio-blk PCI device (repeatable: vblk0, vblk1, ...)\n" +
        "  --disk-legacy FILE  the same, legacy virtio interface only (disable-modern=on)\n" +
        "  --no-build       boot build/x64/loader.elf as it is (otherwise it is rebuilt when src/ changed)\n" +
        "  --icount SHIFT   deterministic virtual time: QEMU -icount shift=SHIFT,sleep=off\n" +
        "  --no-disk        do not attach build/x64/usr.img (osv build --manifest), which is attached by default\n" +
        "  --tests          boot the test image build/x64-tests/loader.elf (osv build --tests)\n" +
        "  --arch ARCH      target architecture (only x64 for now)\n" +
        "\n" +
        "exit status: the program's, 0..255 (above 125 read back from the kernel's last line,\n" +
        "`Exit status: N`); 127 kernel panic; 254 the VM reset without a status (triple fault);\n" +
        "124 timeout; 1 QEMU failed.\n";

    public const string Test =
        "usage: osv test [--no-build] [--filter EXPRESSION]\n" +
        "\n" +
        "  --no-build           skip `osv build` and `osv build --tests` (the integration tests boot the existing images)\n" +
        "  --filter EXPRESSION  passed to `dotnet test --filter`\n" +
        "\n" +
        "Results (trx) go to build/test-results/; the last line is 'N passed, N failed'.\n";
}
