using System;

namespace Osv.Core.Elf;

/// <summary>One Elf64_Sym of the dynamic symbol table, with its name resolved.</summary>
public struct ElfSymbol
{
    public const ushort UndefinedSection = 0;
    public const ushort AbsoluteSection = 0xFFF1;

    public uint Index;
    public uint NameOffset;
    public ulong Value;
    public ulong Size;
    public SymbolType Type;
    public SymbolBinding Binding;
    /// <summary>STV_DEFAULT 0, INTERNAL 1, HIDDEN 2, PROTECTED 3.</summary>
    public byte Visibility;
    public ushort SectionIndex;

    private ByteRange _name;

    public readonly ReadOnlySpan<byte> Name => _name.Span;
    public bool IsDefined => SectionIndex != UndefinedSection;

    internal void SetName(ReadOnlySpan<byte> name) => _name = ByteRange.Of(name);
}
