using System;

namespace Osv.Core.Elf;

/// <summary>
/// The version a dynamic symbol carries: for a definition its DT_VERDEF name ("GLIBC_2.2.5"), for an
/// undefined symbol the DT_VERNEED requirement and the library it is expected from. Hidden (versym bit
/// 0x8000) marks a non-default definition, readelf's single '@'.
/// </summary>
public struct SymbolVersion
{
    /// <summary>The versym index with the hidden bit cleared; 0 local, 1 global (unversioned), 2+ named versions.</summary>
    public ushort Index;
    public bool IsHidden;
    /// <summary>Whether the name came from DT_VERNEED (a requirement) rather than DT_VERDEF.</summary>
    public bool IsRequirement;

    private ByteRange _name;
    private ByteRange _file;

    public readonly ReadOnlySpan<byte> Name => _name.Span;
    /// <summary>For a requirement, the DT_NEEDED library that should define it (vn_file); else empty.</summary>
    public readonly ReadOnlySpan<byte> File => _file.Span;

    internal void SetNames(ReadOnlySpan<byte> name, ReadOnlySpan<byte> file)
    {
        _name = ByteRange.Of(name);
        _file = ByteRange.Of(file);
    }
}
