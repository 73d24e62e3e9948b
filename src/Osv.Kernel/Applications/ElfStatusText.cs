using Osv.Core.Elf;

namespace Osv.Kernel.Applications
{
    /// <summary>One phrase per ELF loading problem, for the line `Error: &lt;program&gt;: &lt;phrase&gt;`.</summary>
    internal static class ElfStatusText
    {
        public static string Describe(ElfStatus status) => status switch
        {
            ElfStatus.TruncatedHeader => "truncated ELF header",
            ElfStatus.BadMagic => "not an ELF file (bad magic)",
            ElfStatus.NotElf64 => "not a 64-bit ELF file",
            ElfStatus.NotLittleEndian => "not a little-endian ELF file",
            ElfStatus.BadVersion => "unknown ELF version",
            ElfStatus.NotExecutableOrSharedObject => "neither an executable nor a shared object",
            ElfStatus.WrongMachine => "built for another architecture (wrong e_machine)",
            ElfStatus.UnsupportedMachine => "built for an unsupported architecture",
            ElfStatus.BadProgramHeaderEntrySize => "bad program header entry size",
            ElfStatus.NoProgramHeaders => "no program headers",
            ElfStatus.TruncatedProgramHeaders => "program headers run past the end of the file",
            ElfStatus.SegmentOutsideFile => "a segment lies past the end of the file",
            ElfStatus.SegmentFileSizeExceedsMemorySize => "a segment's file size exceeds its memory size",
            ElfStatus.LoadSegmentsOverlap => "load segments overlap",
            ElfStatus.LoadSegmentsOutOfOrder => "load segments out of order",
            ElfStatus.NoLoadSegments => "no loadable segments",
            ElfStatus.FixedAddressExecutable => "a fixed-address executable: build it as a PIE (-pie or -static-pie)",
            ElfStatus.NeedsDynamicLinking => "needs a library the kernel does not provide",
            ElfStatus.OutOfMemory => "out of memory for its segments",
            _ => "malformed ELF file",
        };
    }
}
