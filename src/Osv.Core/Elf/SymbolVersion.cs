using System;

namespace Osv.Core.Elf;

/// <summary>
/// The version a dynamic symbol carries: for a definition its DT_VERDEF name ("GLIBC_2.2.5"), for an
/// undefined symbol the DT_VERNEED requirement and the library it is expected from. Hidden (versym bit
/// 0x8000) marks a non-default definition, readelf's single '@'.
/// </summary>
public unsafe struct SymbolVersion
{
    /// <summary>The versym index with the hidden bit cleared; 0 local, 1 global (unversioned), 2+ named versions.</summary>
    public ushort Index;
    public bool IsHidden;
    /// <summary>Whether the name came from DT_VERNEED (a requirement) rather than DT_VERDEF.</summary>
    public bool IsRequirement;

    private byte* _name;
    private int _nameLength;
    private byte* _file;
    private int _fileLength;

    public ReadOnlySpan<byte> Name => new ReadOnlySpan<byte>(_name, _nameLength);
    /// <summary>For a requirement, the DT_NEEDED library that should define it (vn_file); else empty.</summary>
    public ReadOnlySpan<byte> File => new ReadOnlySpan<byte>(_file, _fileLength);

    internal void SetNames(ReadOnlySpan<byte> name, ReadOnlySpan<byte> file)
    {
        fixed (byte* start = name)
            _name = start;
        _nameLength = name.Length;
        fixed (byte* start = file)
            _file = start;
        _fileLength = file.Length;
    }
}
