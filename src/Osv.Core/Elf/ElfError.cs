using System;

namespace Osv.Core.Elf;

/// <summary>
/// The outcome of an ELF operation: <see cref="ElfStatus.Ok"/> or the problem with enough context to name it
/// in one console line. Names point into the object's own string table (or the caller's object name), so
/// making an error never allocates; they stay valid as long as the object's memory does.
/// </summary>
public readonly struct ElfError
{
    public readonly ElfStatus Status;
    /// <summary>The offending program header, dynamic entry, symbol or relocation index; -1 when none applies.</summary>
    public readonly int Index;
    /// <summary>The file offset or virtual address involved (see the status), else 0.</summary>
    public readonly ulong Offset;
    /// <summary>The bad value itself (e_machine, p_type, d_tag, relocation type...), else 0.</summary>
    public readonly ulong Value;

    private readonly ByteRange _symbolName;
    private readonly ByteRange _symbolVersion;
    private readonly ByteRange _objectName;

    private ElfError(ElfStatus status, int index, ulong offset, ulong value, ReadOnlySpan<byte> symbolName,
        ReadOnlySpan<byte> symbolVersion, ReadOnlySpan<byte> objectName)
    {
        Status = status;
        Index = index;
        Offset = offset;
        Value = value;
        _symbolName = ByteRange.Of(symbolName);
        _symbolVersion = ByteRange.Of(symbolVersion);
        _objectName = ByteRange.Of(objectName);
    }

    public static ElfError Ok => default;

    public bool IsOk => Status == ElfStatus.Ok;

    public static ElfError Of(ElfStatus status, int index = -1, ulong offset = 0, ulong value = 0) =>
        new ElfError(status, index, offset, value, default, default, default);

    /// <summary>
    /// An error about a symbol. The spans must point into memory that outlives the error (the object's
    /// string table, the caller's object name): the error keeps only their addresses.
    /// </summary>
    public static ElfError ForSymbol(ElfStatus status, int index, ulong offset, ulong value, ReadOnlySpan<byte> symbolName,
        ReadOnlySpan<byte> symbolVersion, ReadOnlySpan<byte> objectName) =>
        new ElfError(status, index, offset, value, symbolName, symbolVersion, objectName);

    public ReadOnlySpan<byte> SymbolName => _symbolName.Span;
    public ReadOnlySpan<byte> SymbolVersion => _symbolVersion.Span;
    public ReadOnlySpan<byte> ObjectName => _objectName.Span;
}
