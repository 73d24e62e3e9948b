namespace Osv.Core.Elf;

/// <summary>
/// What went wrong with an ELF object, as a value. <see cref="ElfError"/> carries the status together with
/// the offending program-header/dynamic/relocation index, the file offset or address, and the bad value.
/// </summary>
public enum ElfStatus
{
    Ok,

    // Loading (the kernel's program loader)
    /// <summary>An ET_EXEC linked at fixed addresses: the one address space has no room for them; build with -pie (or -static-pie).</summary>
    FixedAddressExecutable,
    /// <summary>The object needs the dynamic linker (an interpreter or DT_NEEDED libraries), which does not exist yet.</summary>
    NeedsDynamicLinking,
    /// <summary>No application memory left for the object's segments; Value is the size asked for.</summary>
    OutOfMemory,

    // ELF header
    /// <summary>Fewer bytes than the 64-byte ELF64 header.</summary>
    TruncatedHeader,
    /// <summary>The first four bytes are not 0x7F 'E' 'L' 'F'.</summary>
    BadMagic,
    /// <summary>EI_CLASS is not ELFCLASS64; Value holds it.</summary>
    NotElf64,
    /// <summary>EI_DATA is not little endian; Value holds it.</summary>
    NotLittleEndian,
    /// <summary>EI_VERSION or e_version is not EV_CURRENT; Value holds it.</summary>
    BadVersion,
    /// <summary>e_type is neither ET_EXEC nor ET_DYN (relocatable objects and core files are not loadable); Value holds it.</summary>
    NotExecutableOrSharedObject,
    /// <summary>Built for the other architecture this kernel knows (AArch64 on x86-64 or the reverse); Value holds e_machine.</summary>
    WrongMachine,
    /// <summary>e_machine names an architecture Osv does not run at all; Value holds it.</summary>
    UnsupportedMachine,
    /// <summary>e_ehsize is smaller than the ELF64 header; Value holds it.</summary>
    BadHeaderSize,

    // Program headers
    /// <summary>e_phentsize is not 56; Value holds it.</summary>
    BadProgramHeaderEntrySize,
    /// <summary>The object has no program headers at all.</summary>
    NoProgramHeaders,
    /// <summary>The program-header table runs past the end of the file; Offset is its end, Index the first header cut off.</summary>
    TruncatedProgramHeaders,
    /// <summary>A segment's file bytes lie past the end of the file; Index names it, Offset is p_offset + p_filesz.</summary>
    SegmentOutsideFile,
    /// <summary>p_filesz is larger than p_memsz; Index names the segment.</summary>
    SegmentFileSizeExceedsMemorySize,
    /// <summary>p_vaddr + p_memsz (or p_offset + p_filesz) wraps around; Index names the segment.</summary>
    SegmentAddressOverflow,
    /// <summary>p_align is not a power of two, or p_vaddr and p_offset disagree modulo it; Index names the segment, Value is p_align.</summary>
    BadSegmentAlignment,
    /// <summary>A PT_LOAD starts below the one before it (the gABI wants ascending p_vaddr); Index names it.</summary>
    LoadSegmentsOutOfOrder,
    /// <summary>Two PT_LOAD segments share addresses; Index names the later one, Offset its p_vaddr.</summary>
    LoadSegmentsOverlap,
    /// <summary>There is no PT_LOAD segment.</summary>
    NoLoadSegments,
    /// <summary>A second PT_DYNAMIC, PT_INTERP or PT_TLS; Index names it, Value is its p_type.</summary>
    DuplicateSegment,
    /// <summary>PT_DYNAMIC (or PT_GNU_RELRO) is not wholly inside one PT_LOAD's file bytes; Index names it, Value is its p_type.</summary>
    SegmentOutsideLoad,
    /// <summary>PT_DYNAMIC's size is not a multiple of 16; Index names it.</summary>
    BadDynamicSegmentSize,
    /// <summary>PT_INTERP does not hold a NUL-terminated path; Index names it.</summary>
    BadInterpreter,
    /// <summary>PT_TLS has p_filesz &gt; p_memsz or an alignment that is not a power of two; Index names it.</summary>
    BadTlsSegment,

    // Dynamic section
    /// <summary>The object has no PT_DYNAMIC (a static executable): there is nothing to link.</summary>
    NoDynamicSection,
    /// <summary>No DT_NULL before the end of PT_DYNAMIC; Offset is the dynamic section's address.</summary>
    UnterminatedDynamicSection,
    /// <summary>A dynamic entry points at (or sizes) memory no loaded segment backs; Index is the entry, Value its d_tag, Offset its d_val.</summary>
    DynamicAddressUnmapped,
    /// <summary>DT_SYMENT, DT_RELAENT, DT_RELRENT, DT_SYMTAB or DT_STRTAB is missing or has the wrong size; Value is the tag.</summary>
    BadDynamicEntry,
    /// <summary>DT_PLTREL says DT_REL: x86-64 and AArch64 objects use RELA only; Value is the d_val.</summary>
    UnsupportedPltRelocationFormat,
    /// <summary>A string offset (DT_NEEDED, DT_SONAME, a symbol name...) lies outside DT_STRSZ; Offset holds it.</summary>
    StringOffsetOutOfRange,
    /// <summary>DT_GNU_HASH or DT_HASH is malformed or not backed by loaded memory; Offset is its address.</summary>
    BadHashTable,
    /// <summary>DT_VERSYM/VERDEF/VERNEED tables are malformed or not backed by loaded memory; Offset is the bad record's address.</summary>
    BadVersionTable,

    // Symbols
    /// <summary>A symbol index at or past the dynamic symbol count; Index holds it.</summary>
    SymbolIndexOutOfRange,

    // Relocations
    /// <summary>A relocation type this kernel does not implement; Index is the relocation, Value the type.</summary>
    UnknownRelocationType,
    /// <summary>A non-weak symbol no loaded object defines; SymbolName, SymbolVersion and ObjectName say which, Index the relocation.</summary>
    UndefinedSymbol,
    /// <summary>A relocation writes outside the loaded, writable image; Index is the relocation, Offset its r_offset.</summary>
    RelocationTargetUnmapped,
    /// <summary>A 32-bit relocation's value does not fit; Index is the relocation, Value the 64-bit value.</summary>
    RelocationOverflow,
    /// <summary>An IRELATIVE relocation or IFUNC symbol needs a resolver call and the context has no way to make one.</summary>
    IfuncCallUnavailable,
    /// <summary>A COPY relocation's source is missing or its size differs from the executable's symbol.</summary>
    BadCopyRelocation,
}
