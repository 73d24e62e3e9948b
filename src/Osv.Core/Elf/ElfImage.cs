using System;

namespace Osv.Core.Elf;

/// <summary>
/// A validated ELF64 file image in memory: the header and program headers checked once, so everything
/// built on it (the file's <see cref="AddressSpaceView"/>, segment copying) can trust the segment table.
/// The image does not own the bytes; they must stay put while the image is used.
/// </summary>
public readonly unsafe struct ElfImage
{
    public const int HeaderSize = 64;
    public const ulong PageSize = 4096;

    private const byte ClassElf64 = 2;
    private const byte LittleEndian = 1;
    private const byte CurrentVersion = 1;

    private readonly byte* _data;
    private readonly ulong _length;
    private readonly ulong _programHeaderOffset;

    public readonly ElfFileType Type;
    public readonly ElfMachine Machine;
    public readonly ulong Entry;
    public readonly int ProgramHeaderCount;
    /// <summary>Indexes of the special segments, -1 when absent.</summary>
    public readonly int DynamicIndex, InterpreterIndex, TlsIndex, GnuStackIndex, RelroIndex;
    public readonly int LoadCount;
    public readonly int NoteCount;
    /// <summary>The page-rounded address range the PT_LOAD segments cover.</summary>
    public readonly ulong LoadStart, LoadEnd;

    private ElfImage(byte* data, ulong length, in ElfHeaderFields header, in SegmentSummary summary)
    {
        _data = data;
        _length = length;
        _programHeaderOffset = header.ProgramHeaderOffset;
        Type = header.Type;
        Machine = header.Machine;
        Entry = header.Entry;
        ProgramHeaderCount = header.ProgramHeaderCount;
        DynamicIndex = summary.DynamicIndex;
        InterpreterIndex = summary.InterpreterIndex;
        TlsIndex = summary.TlsIndex;
        GnuStackIndex = summary.GnuStackIndex;
        RelroIndex = summary.RelroIndex;
        LoadCount = summary.LoadCount;
        NoteCount = summary.NoteCount;
        LoadStart = summary.LoadStart & ~(PageSize - 1);
        LoadEnd = (summary.LoadEnd + PageSize - 1) & ~(PageSize - 1);
    }

    private struct ElfHeaderFields
    {
        public ElfFileType Type;
        public ElfMachine Machine;
        public ulong Entry;
        public ulong ProgramHeaderOffset;
        public int ProgramHeaderCount;
    }

    private struct SegmentSummary
    {
        public int DynamicIndex, InterpreterIndex, TlsIndex, GnuStackIndex, RelroIndex, LoadCount, NoteCount;
        public ulong LoadStart, LoadEnd;
    }

    public byte* Data => _data;
    public ulong Length => _length;
    public bool IsPositionIndependent => Type == ElfFileType.SharedObject;
    public bool HasDynamicSection => DynamicIndex >= 0;
    /// <summary>Whether PT_GNU_STACK asks for an executable stack (no PT_GNU_STACK means yes, as on Linux).</summary>
    public bool WantsExecutableStack => GnuStackIndex < 0 || ProgramHeaderAt(GnuStackIndex).IsExecutable;

    /// <summary>Validates <paramref name="length"/> bytes at <paramref name="data"/> as a loadable object for <paramref name="machine"/>.</summary>
    public static ElfError Parse(byte* data, ulong length, ElfMachine machine, out ElfImage image)
    {
        image = default;
        ElfError error = ParseHeader(data, length, machine, out ElfHeaderFields header);
        if (!error.IsOk)
            return error;
        error = CheckSegments(data, length, header, out SegmentSummary summary);
        if (!error.IsOk)
            return error;
        image = new ElfImage(data, length, header, summary);
        return ElfError.Ok;
    }

    /// <summary>Validates a file held in a span; the result says only whether (and why not) it would load.</summary>
    public static ElfError Validate(ReadOnlySpan<byte> file, ElfMachine machine)
    {
        fixed (byte* data = file)
            return Parse(data, (ulong)file.Length, machine, out _);
    }

    public ProgramHeader ProgramHeaderAt(int index) => ReadProgramHeader(_data + _programHeaderOffset + (ulong)index * ProgramHeader.Size);

    /// <summary>The PT_INTERP path without its NUL; empty when there is none.</summary>
    public ReadOnlySpan<byte> Interpreter
    {
        get
        {
            if (InterpreterIndex < 0)
                return default;
            ProgramHeader header = ProgramHeaderAt(InterpreterIndex);
            return new ReadOnlySpan<byte>(_data + header.Offset, (int)header.FileSize - 1);
        }
    }

    /// <summary>
    /// The file offset that holds <paramref name="size"/> bytes at virtual address <paramref name="address"/>:
    /// all of them must lie in the file-backed part of one PT_LOAD (bss has no file bytes).
    /// </summary>
    public bool TryTranslate(ulong address, ulong size, out ulong fileOffset)
    {
        fileOffset = 0;
        for (int i = 0; i < ProgramHeaderCount; i++)
        {
            ProgramHeader segment = ProgramHeaderAt(i);
            if (segment.Type != ProgramHeaderType.Load || address < segment.VirtualAddress)
                continue;
            ulong delta = address - segment.VirtualAddress;
            if (delta <= segment.FileSize && size <= segment.FileSize - delta)
            {
                fileOffset = segment.Offset + delta;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Lays the PT_LOAD segments out as the loader maps them: file bytes copied, the rest (bss, gaps) zeroed.
    /// <paramref name="destination"/> stands for address <see cref="LoadStart"/> and must hold LoadEnd - LoadStart bytes.
    /// </summary>
    public bool CopyLoadSegments(byte* destination, ulong destinationLength)
    {
        ulong extent = LoadEnd - LoadStart;
        if (destination == null || destinationLength < extent)
            return false;
        Memory.RawMemory.Zero(destination, (nuint)extent);
        for (int i = 0; i < ProgramHeaderCount; i++)
        {
            ProgramHeader segment = ProgramHeaderAt(i);
            if (segment.Type == ProgramHeaderType.Load)
                Memory.RawMemory.Copy(destination + (segment.VirtualAddress - LoadStart), _data + segment.Offset, (nuint)segment.FileSize);
        }
        return true;
    }

    private static ElfError ParseHeader(byte* data, ulong length, ElfMachine machine, out ElfHeaderFields header)
    {
        header = default;
        if (data == null || length < HeaderSize)
            return ElfError.Of(ElfStatus.TruncatedHeader, offset: length);
        if (data[0] != 0x7F || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            return ElfError.Of(ElfStatus.BadMagic);
        if (data[4] != ClassElf64)
            return ElfError.Of(ElfStatus.NotElf64, offset: 4, value: data[4]);
        if (data[5] != LittleEndian)
            return ElfError.Of(ElfStatus.NotLittleEndian, offset: 5, value: data[5]);
        if (data[6] != CurrentVersion)
            return ElfError.Of(ElfStatus.BadVersion, offset: 6, value: data[6]);
        ushort type = ElfBytes.Read16(data + 16);
        if (type != (ushort)ElfFileType.Executable && type != (ushort)ElfFileType.SharedObject)
            return ElfError.Of(ElfStatus.NotExecutableOrSharedObject, offset: 16, value: type);
        ushort actualMachine = ElfBytes.Read16(data + 18);
        if (actualMachine != (ushort)machine)
        {
            bool known = actualMachine == (ushort)ElfMachine.X86_64 || actualMachine == (ushort)ElfMachine.AArch64;
            return ElfError.Of(known ? ElfStatus.WrongMachine : ElfStatus.UnsupportedMachine, offset: 18, value: actualMachine);
        }
        uint version = ElfBytes.Read32(data + 20);
        if (version != CurrentVersion)
            return ElfError.Of(ElfStatus.BadVersion, offset: 20, value: version);
        ushort headerSize = ElfBytes.Read16(data + 52);
        if (headerSize < HeaderSize)
            return ElfError.Of(ElfStatus.BadHeaderSize, offset: 52, value: headerSize);
        ushort entrySize = ElfBytes.Read16(data + 54);
        ushort count = ElfBytes.Read16(data + 56);
        if (count == 0)
            return ElfError.Of(ElfStatus.NoProgramHeaders, offset: 56);
        if (entrySize != ProgramHeader.Size)
            return ElfError.Of(ElfStatus.BadProgramHeaderEntrySize, offset: 54, value: entrySize);
        ulong tableOffset = ElfBytes.Read64(data + 32);
        ulong tableEnd = tableOffset + (ulong)count * ProgramHeader.Size;
        if (tableOffset > length || tableEnd < tableOffset || tableEnd > length)
        {
            ulong whole = tableOffset > length ? 0 : (length - tableOffset) / ProgramHeader.Size;
            return ElfError.Of(ElfStatus.TruncatedProgramHeaders, (int)whole, tableEnd, count);
        }
        header.Type = (ElfFileType)type;
        header.Machine = machine;
        header.Entry = ElfBytes.Read64(data + 24);
        header.ProgramHeaderOffset = tableOffset;
        header.ProgramHeaderCount = count;
        return ElfError.Ok;
    }

    private static ElfError CheckSegments(byte* data, ulong length, in ElfHeaderFields header, out SegmentSummary summary)
    {
        summary = default;
        summary.DynamicIndex = summary.InterpreterIndex = summary.TlsIndex = summary.GnuStackIndex = summary.RelroIndex = -1;
        ulong previousLoadStart = 0, previousLoadEnd = 0;
        for (int i = 0; i < header.ProgramHeaderCount; i++)
        {
            ProgramHeader segment = ReadProgramHeader(data + header.ProgramHeaderOffset + (ulong)i * ProgramHeader.Size);
            ElfError error = CheckSegmentBounds(segment, i, length);
            if (!error.IsOk)
                return error;
            switch (segment.Type)
            {
                case ProgramHeaderType.Load:
                    if (segment.FileSize > segment.MemorySize)
                        return ElfError.Of(ElfStatus.SegmentFileSizeExceedsMemorySize, i, segment.VirtualAddress, segment.FileSize);
                    if (segment.Alignment > 1 && ((segment.Alignment & (segment.Alignment - 1)) != 0
                        || segment.VirtualAddress % segment.Alignment != segment.Offset % segment.Alignment))
                        return ElfError.Of(ElfStatus.BadSegmentAlignment, i, segment.VirtualAddress, segment.Alignment);
                    if (summary.LoadCount > 0)
                    {
                        if (segment.VirtualAddress < previousLoadStart)
                            return ElfError.Of(ElfStatus.LoadSegmentsOutOfOrder, i, segment.VirtualAddress);
                        if (segment.VirtualAddress < previousLoadEnd)
                            return ElfError.Of(ElfStatus.LoadSegmentsOverlap, i, segment.VirtualAddress);
                    }
                    else
                    {
                        summary.LoadStart = segment.VirtualAddress;
                    }
                    previousLoadStart = segment.VirtualAddress;
                    previousLoadEnd = segment.VirtualEnd;
                    if (segment.VirtualEnd > summary.LoadEnd)
                        summary.LoadEnd = segment.VirtualEnd;
                    summary.LoadCount++;
                    break;
                case ProgramHeaderType.Dynamic:
                    if (!Claim(ref summary.DynamicIndex, i))
                        return ElfError.Of(ElfStatus.DuplicateSegment, i, segment.Offset, (ulong)segment.Type);
                    if (segment.FileSize % DynamicSection.EntrySize != 0 || segment.FileSize == 0)
                        return ElfError.Of(ElfStatus.BadDynamicSegmentSize, i, segment.Offset, segment.FileSize);
                    break;
                case ProgramHeaderType.Interpreter:
                    if (!Claim(ref summary.InterpreterIndex, i))
                        return ElfError.Of(ElfStatus.DuplicateSegment, i, segment.Offset, (ulong)segment.Type);
                    if (segment.FileSize < 2 || data[segment.Offset + segment.FileSize - 1] != 0)
                        return ElfError.Of(ElfStatus.BadInterpreter, i, segment.Offset, segment.FileSize);
                    break;
                case ProgramHeaderType.Tls:
                    if (!Claim(ref summary.TlsIndex, i))
                        return ElfError.Of(ElfStatus.DuplicateSegment, i, segment.Offset, (ulong)segment.Type);
                    if (segment.FileSize > segment.MemorySize || (segment.Alignment & (segment.Alignment - 1)) != 0)
                        return ElfError.Of(ElfStatus.BadTlsSegment, i, segment.VirtualAddress, segment.Alignment);
                    break;
                case ProgramHeaderType.GnuStack:
                    summary.GnuStackIndex = i;
                    break;
                case ProgramHeaderType.GnuRelro:
                    summary.RelroIndex = i;
                    break;
                case ProgramHeaderType.Note:
                    summary.NoteCount++;
                    break;
            }
        }
        if (summary.LoadCount == 0)
            return ElfError.Of(ElfStatus.NoLoadSegments);
        return CheckInsideLoads(data, header, summary);
    }

    /// <summary>File bytes inside the file and no address range that wraps, for every segment type.</summary>
    private static ElfError CheckSegmentBounds(in ProgramHeader segment, int index, ulong length)
    {
        ulong fileEnd = segment.Offset + segment.FileSize;
        if (fileEnd < segment.Offset || segment.VirtualEnd < segment.VirtualAddress)
            return ElfError.Of(ElfStatus.SegmentAddressOverflow, index, segment.VirtualAddress, (ulong)segment.Type);
        bool describesFileBytes = segment.Type == ProgramHeaderType.Load || segment.Type == ProgramHeaderType.Dynamic
            || segment.Type == ProgramHeaderType.Interpreter || segment.Type == ProgramHeaderType.Note
            || segment.Type == ProgramHeaderType.Tls;
        if (describesFileBytes && fileEnd > length)
            return ElfError.Of(ElfStatus.SegmentOutsideFile, index, fileEnd, (ulong)segment.Type);
        return ElfError.Ok;
    }

    /// <summary>PT_DYNAMIC must be file bytes of one PT_LOAD (the linker reads it before anything else); PT_GNU_RELRO must be loaded memory.</summary>
    private static ElfError CheckInsideLoads(byte* data, in ElfHeaderFields header, in SegmentSummary summary)
    {
        if (summary.DynamicIndex >= 0)
        {
            ProgramHeader dynamic = ReadProgramHeader(data + header.ProgramHeaderOffset + (ulong)summary.DynamicIndex * ProgramHeader.Size);
            if (!IsInsideLoad(data, header, dynamic.VirtualAddress, dynamic.FileSize, true))
                return ElfError.Of(ElfStatus.SegmentOutsideLoad, summary.DynamicIndex, dynamic.VirtualAddress, (ulong)dynamic.Type);
        }
        if (summary.RelroIndex >= 0)
        {
            ProgramHeader relro = ReadProgramHeader(data + header.ProgramHeaderOffset + (ulong)summary.RelroIndex * ProgramHeader.Size);
            if (!IsInsideLoad(data, header, relro.VirtualAddress, relro.MemorySize, false))
                return ElfError.Of(ElfStatus.SegmentOutsideLoad, summary.RelroIndex, relro.VirtualAddress, (ulong)relro.Type);
        }
        return ElfError.Ok;
    }

    private static bool IsInsideLoad(byte* data, in ElfHeaderFields header, ulong address, ulong size, bool fileBacked)
    {
        for (int i = 0; i < header.ProgramHeaderCount; i++)
        {
            ProgramHeader segment = ReadProgramHeader(data + header.ProgramHeaderOffset + (ulong)i * ProgramHeader.Size);
            ulong limit = fileBacked ? segment.FileSize : segment.MemorySize;
            if (segment.Type == ProgramHeaderType.Load && address >= segment.VirtualAddress
                && address - segment.VirtualAddress <= limit && size <= limit - (address - segment.VirtualAddress))
                return true;
        }
        return false;
    }

    private static bool Claim(ref int slot, int index)
    {
        if (slot >= 0)
            return false;
        slot = index;
        return true;
    }

    internal static ProgramHeader ReadProgramHeader(byte* entry)
    {
        ProgramHeader header;
        header.Type = (ProgramHeaderType)ElfBytes.Read32(entry);
        header.Flags = ElfBytes.Read32(entry + 4);
        header.Offset = ElfBytes.Read64(entry + 8);
        header.VirtualAddress = ElfBytes.Read64(entry + 16);
        header.PhysicalAddress = ElfBytes.Read64(entry + 24);
        header.FileSize = ElfBytes.Read64(entry + 32);
        header.MemorySize = ElfBytes.Read64(entry + 40);
        header.Alignment = ElfBytes.Read64(entry + 48);
        return header;
    }

}
