using System;

namespace Osv.Core.Elf;

/// <summary>
/// The libraries the kernel image stands in for: a DT_NEEDED entry naming one of them is satisfied
/// by the kernel's own .dynsym, not by a file.
/// </summary>
public static class KernelLibraries
{
    public static bool Provides(ReadOnlySpan<byte> name) =>
        ElfBytes.Equal(name, "libc.so.6"u8) || ElfBytes.Equal(name, "libm.so.6"u8) || ElfBytes.Equal(name, "libpthread.so.0"u8)
        || ElfBytes.Equal(name, "libdl.so.2"u8) || ElfBytes.Equal(name, "librt.so.1"u8) || ElfBytes.Equal(name, "ld-linux-x86-64.so.2"u8);
}
