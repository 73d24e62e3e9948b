using System;

namespace Osv.Core.Elf;

/// <summary>
/// The decoded PT_DYNAMIC of one object. Addresses are the object's virtual addresses (add the load bias
/// for run-time pointers); 0 means the tag is absent. <see cref="Decode"/> checks that every table a tag
/// names lies in memory the view can read, and that every name offset lies in the string table, so users
/// of the fields need not check again.
/// </summary>
public unsafe struct DynamicSection
{
    public const int EntrySize = 16;
    public const int SymbolEntrySize = 24;
    public const int RelaEntrySize = 24;
    public const int RelrEntrySize = 8;
    private const long RelaFormat = (long)DynamicTag.Rela;

    public AddressSpaceView View;
    public ulong Address;
    /// <summary>Entries before DT_NULL.</summary>
    public int EntryCount;
    public int NeededCount;
    public StringTable Strings;

    public ulong SymbolTable, GnuHash, Hash;
    public ulong VersionSymbols, VersionDefinitions, VersionNeeded;
    public ulong VersionDefinitionCount, VersionNeededCount;
    public ulong Rela, RelaSize, RelaCount;
    public ulong JumpRelocations, PltRelocationSize, PltGot;
    public ulong Relr, RelrSize;
    public ulong Init, Fini, InitArray, InitArraySize, FiniArray, FiniArraySize, PreinitArray, PreinitArraySize;
    public ulong Flags, Flags1;
    public bool HasTextRelocations, HasBindNowTag;

    private long _sharedObjectName, _runPath, _rPath;

    /// <summary>Bind every symbol at load time (DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW): no missing function may wait for its first call (<see cref="LazyBinding"/>).</summary>
    public bool IsBindNow => HasBindNowTag || (Flags & DynamicFlags.BindNow) != 0 || (Flags1 & DynamicFlags.Now1) != 0;
    public bool UsesStaticTls => (Flags & DynamicFlags.StaticTls) != 0;
    public bool IsPie => (Flags1 & DynamicFlags.Pie1) != 0;

    public ulong RelaEntryCount => RelaSize / RelaEntrySize;
    public ulong PltRelocationCount => PltRelocationSize / RelaEntrySize;
    public ulong RelrEntryCount => RelrSize / RelrEntrySize;

    public readonly bool TryGetSharedObjectName(out ReadOnlySpan<byte> name) => TryGetString(_sharedObjectName, out name);
    public readonly bool TryGetRunPath(out ReadOnlySpan<byte> path) => TryGetString(_runPath, out path);
    public readonly bool TryGetRPath(out ReadOnlySpan<byte> path) => TryGetString(_rPath, out path);

    /// <summary>The <paramref name="index"/>-th DT_NEEDED name, in dynamic-section order.</summary>
    public readonly bool TryGetNeeded(int index, out ReadOnlySpan<byte> name)
    {
        name = default;
        int seen = 0;
        for (int i = 0; i < EntryCount; i++)
        {
            ReadEntry(i, out long tag, out ulong value);
            if (tag == (long)DynamicTag.Needed && seen++ == index)
                return Strings.TryGet(value, out name);
        }
        return false;
    }

    /// <summary>The raw d_tag and d_val of entry <paramref name="index"/> (below <see cref="EntryCount"/>).</summary>
    public readonly void ReadEntry(int index, out long tag, out ulong value)
    {
        tag = 0;
        value = 0;
        if (index < 0 || index > EntryCount || !View.TryGetPointer(Address + (ulong)index * EntrySize, EntrySize, out byte* entry))
            return;
        tag = (long)ElfBytes.Read64(entry);
        value = ElfBytes.Read64(entry + 8);
    }

    private readonly bool TryGetString(long offset, out ReadOnlySpan<byte> text)
    {
        text = default;
        return offset >= 0 && Strings.TryGet((ulong)offset, out text);
    }

    /// <summary>Decodes the <paramref name="size"/>-byte dynamic section at <paramref name="address"/> in <paramref name="view"/>.</summary>
    public static ElfError Decode(in AddressSpaceView view, ulong address, ulong size, out DynamicSection dynamic)
    {
        dynamic = default;
        dynamic.View = view;
        dynamic.Address = address;
        dynamic._sharedObjectName = dynamic._runPath = dynamic._rPath = -1;
        ulong stringTable = 0, stringTableSize = 0;
        bool terminated = false;
        ulong capacity = size / EntrySize;
        int count = 0;
        for (ulong i = 0; i < capacity && !terminated; i++)
        {
            if (!view.TryGetPointer(address + i * EntrySize, EntrySize, out byte* entry))
                return ElfError.Of(ElfStatus.DynamicAddressUnmapped, (int)i, address + i * EntrySize);
            long tag = (long)ElfBytes.Read64(entry);
            ulong value = ElfBytes.Read64(entry + 8);
            ElfError entryError = Record(ref dynamic, (int)i, tag, value, ref stringTable, ref stringTableSize);
            if (!entryError.IsOk)
                return entryError;
            terminated = tag == (long)DynamicTag.Null;
            if (!terminated)
                count++;
        }
        if (!terminated)
            return ElfError.Of(ElfStatus.UnterminatedDynamicSection, count, address, size);
        dynamic.EntryCount = count;
        if (stringTable != 0)
        {
            if (!view.TryGetPointer(stringTable, stringTableSize, out byte* strings) || stringTableSize == 0)
                return ElfError.Of(ElfStatus.DynamicAddressUnmapped, -1, stringTable, (ulong)DynamicTag.StringTable);
            dynamic.Strings = new StringTable(strings, stringTableSize);
        }
        return dynamic.CheckEntries();
    }

    private static ElfError Record(ref DynamicSection dynamic, int index, long tag, ulong value, ref ulong stringTable, ref ulong stringTableSize)
    {
        switch ((DynamicTag)tag)
        {
            case DynamicTag.Needed: dynamic.NeededCount++; break;
            case DynamicTag.SharedObjectName: dynamic._sharedObjectName = (long)value; break;
            case DynamicTag.RunPath: dynamic._runPath = (long)value; break;
            case DynamicTag.RPath: dynamic._rPath = (long)value; break;
            case DynamicTag.StringTable: stringTable = value; break;
            case DynamicTag.StringTableSize: stringTableSize = value; break;
            case DynamicTag.SymbolTable: dynamic.SymbolTable = value; break;
            case DynamicTag.SymbolEntrySize:
                if (value != SymbolEntrySize)
                    return ElfError.Of(ElfStatus.BadDynamicEntry, index, value, (ulong)tag);
                break;
            case DynamicTag.GnuHash: dynamic.GnuHash = value; break;
            case DynamicTag.Hash: dynamic.Hash = value; break;
            case DynamicTag.VersionSymbols: dynamic.VersionSymbols = value; break;
            case DynamicTag.VersionDefinitions: dynamic.VersionDefinitions = value; break;
            case DynamicTag.VersionDefinitionCount: dynamic.VersionDefinitionCount = value; break;
            case DynamicTag.VersionNeeded: dynamic.VersionNeeded = value; break;
            case DynamicTag.VersionNeededCount: dynamic.VersionNeededCount = value; break;
            case DynamicTag.Rela: dynamic.Rela = value; break;
            case DynamicTag.RelaSize: dynamic.RelaSize = value; break;
            case DynamicTag.RelaCount: dynamic.RelaCount = value; break;
            case DynamicTag.RelaEntrySize:
                if (value != RelaEntrySize)
                    return ElfError.Of(ElfStatus.BadDynamicEntry, index, value, (ulong)tag);
                break;
            case DynamicTag.Rel:
                return ElfError.Of(ElfStatus.UnsupportedPltRelocationFormat, index, value, (ulong)tag);
            case DynamicTag.JumpRelocations: dynamic.JumpRelocations = value; break;
            case DynamicTag.PltRelocationSize: dynamic.PltRelocationSize = value; break;
            case DynamicTag.PltRelocationFormat:
                if (value != RelaFormat)
                    return ElfError.Of(ElfStatus.UnsupportedPltRelocationFormat, index, value, (ulong)tag);
                break;
            case DynamicTag.PltGot: dynamic.PltGot = value; break;
            case DynamicTag.Relr: dynamic.Relr = value; break;
            case DynamicTag.RelrSize: dynamic.RelrSize = value; break;
            case DynamicTag.RelrEntrySize:
                if (value != RelrEntrySize)
                    return ElfError.Of(ElfStatus.BadDynamicEntry, index, value, (ulong)tag);
                break;
            case DynamicTag.Init: dynamic.Init = value; break;
            case DynamicTag.Fini: dynamic.Fini = value; break;
            case DynamicTag.InitArray: dynamic.InitArray = value; break;
            case DynamicTag.InitArraySize: dynamic.InitArraySize = value; break;
            case DynamicTag.FiniArray: dynamic.FiniArray = value; break;
            case DynamicTag.FiniArraySize: dynamic.FiniArraySize = value; break;
            case DynamicTag.PreinitArray: dynamic.PreinitArray = value; break;
            case DynamicTag.PreinitArraySize: dynamic.PreinitArraySize = value; break;
            case DynamicTag.Flags: dynamic.Flags = value; break;
            case DynamicTag.Flags1: dynamic.Flags1 = value; break;
            case DynamicTag.TextRelocations: dynamic.HasTextRelocations = true; break;
            case DynamicTag.BindNow: dynamic.HasBindNowTag = true; break;
        }
        return ElfError.Ok;
    }

    /// <summary>Second pass, once every size is known: each table is readable and a whole number of entries, each name is in the string table.</summary>
    private readonly ElfError CheckEntries()
    {
        for (int i = 0; i < EntryCount; i++)
        {
            ReadEntry(i, out long tag, out ulong value);
            ulong entrySize = 1;
            ulong tableSize = TableSize((DynamicTag)tag, ref entrySize, out bool isAddress, out bool isName);
            if (isName && !Strings.TryGet(value, out _))
                return ElfError.Of(ElfStatus.StringOffsetOutOfRange, i, value, (ulong)tag);
            if (!isAddress)
                continue;
            if (tableSize % entrySize != 0)
                return ElfError.Of(ElfStatus.BadDynamicEntry, i, tableSize, (ulong)tag);
            if (!View.TryGetPointer(value, tableSize, out _))
                return ElfError.Of(ElfStatus.DynamicAddressUnmapped, i, value, (ulong)tag);
        }
        if (SymbolTable != 0 && Strings.Size == 0)
            return ElfError.Of(ElfStatus.BadDynamicEntry, -1, SymbolTable, (ulong)DynamicTag.StringTable);
        if ((NeededCount > 0 || _sharedObjectName >= 0 || _runPath >= 0 || _rPath >= 0) && Strings.Size == 0)
            return ElfError.Of(ElfStatus.BadDynamicEntry, -1, 0, (ulong)DynamicTag.StringTable);
        return ElfError.Ok;
    }

    /// <summary>How many bytes the table an address tag names covers (at least its first record), and its entry size.</summary>
    private readonly ulong TableSize(DynamicTag tag, ref ulong entrySize, out bool isAddress, out bool isName)
    {
        isAddress = true;
        isName = false;
        switch (tag)
        {
            case DynamicTag.Needed:
            case DynamicTag.SharedObjectName:
            case DynamicTag.RunPath:
            case DynamicTag.RPath:
                isAddress = false;
                isName = true;
                return 0;
            case DynamicTag.SymbolTable: return SymbolEntrySize;
            case DynamicTag.Rela: entrySize = RelaEntrySize; return RelaSize;
            case DynamicTag.JumpRelocations: entrySize = RelaEntrySize; return PltRelocationSize;
            case DynamicTag.Relr: entrySize = RelrEntrySize; return RelrSize;
            case DynamicTag.InitArray: entrySize = 8; return InitArraySize;
            case DynamicTag.FiniArray: entrySize = 8; return FiniArraySize;
            case DynamicTag.PreinitArray: entrySize = 8; return PreinitArraySize;
            case DynamicTag.GnuHash: return 16;
            case DynamicTag.Hash: return 8;
            case DynamicTag.VersionSymbols: return 2;
            case DynamicTag.VersionNeeded: return VersionNeededRecordSize;
            case DynamicTag.VersionDefinitions: return VersionDefinitionRecordSize;
            case DynamicTag.PltGot: return 8;
            case DynamicTag.Init:
            case DynamicTag.Fini:
                return 1;
            default:
                isAddress = false;
                return 0;
        }
    }

    internal const int VersionNeededRecordSize = 16;
    internal const int VersionDefinitionRecordSize = 20;
}
