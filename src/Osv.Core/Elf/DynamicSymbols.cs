using System;

namespace Osv.Core.Elf;

/// <summary>
/// An object's dynamic symbol table with its hash tables and version tables, validated once by
/// <see cref="Create"/>: afterwards symbol reads, hash-chain walks and version-record walks stay inside
/// memory the view backs. The symbol count comes from DT_HASH's nchain or, with only DT_GNU_HASH, from
/// the end of the last hash chain (the dynamic section does not record it).
/// </summary>
public unsafe struct DynamicSymbols
{
    private const ushort HiddenVersionBit = 0x8000;
    private const ushort GlobalVersionIndex = 1;

    private AddressSpaceView _view;
    private StringTable _strings;
    private byte* _symbols;
    private byte* _versionSymbols;
    private ulong _versionDefinitions, _versionDefinitionCount, _versionNeeded, _versionNeededCount;

    private uint _gnuBucketCount, _gnuSymbolOffset, _gnuBloomWordCount, _gnuBloomShift;
    private byte* _gnuBloom, _gnuBuckets, _gnuChains;

    private uint _sysvBucketCount;
    private byte* _sysvBuckets, _sysvChains;

    public uint Count;
    public bool HasGnuHash => _gnuBuckets != null;
    public bool HasSysVHash => _sysvBuckets != null;
    public bool HasVersions => _versionSymbols != null;

    public static ElfError Create(in DynamicSection dynamic, out DynamicSymbols symbols)
    {
        symbols = default;
        symbols._view = dynamic.View;
        symbols._strings = dynamic.Strings;
        if (dynamic.SymbolTable == 0)
            return ElfError.Ok;
        ElfError error = dynamic.Hash != 0 ? symbols.ReadSysVHash(dynamic.Hash) : ElfError.Ok;
        if (error.IsOk && dynamic.GnuHash != 0)
            error = symbols.ReadGnuHash(dynamic.GnuHash);
        if (!error.IsOk)
            return error;
        if (!dynamic.View.TryGetPointer(dynamic.SymbolTable, (ulong)symbols.Count * DynamicSection.SymbolEntrySize, out symbols._symbols))
            return ElfError.Of(ElfStatus.DynamicAddressUnmapped, -1, dynamic.SymbolTable, (ulong)DynamicTag.SymbolTable);
        for (uint i = 0; i < symbols.Count; i++)
        {
            if (!symbols._strings.TryGet(ElfBytes.Read32(symbols.SymbolAt(i)), out _))
                return ElfError.Of(ElfStatus.StringOffsetOutOfRange, (int)i, ElfBytes.Read32(symbols.SymbolAt(i)), (ulong)DynamicTag.SymbolTable);
        }
        return symbols.ReadVersions(dynamic);
    }

    private byte* SymbolAt(uint index) => _symbols + (ulong)index * DynamicSection.SymbolEntrySize;

    public bool TryGetSymbol(uint index, out ElfSymbol symbol)
    {
        symbol = default;
        if (index >= Count)
            return false;
        byte* entry = SymbolAt(index);
        symbol.Index = index;
        symbol.NameOffset = ElfBytes.Read32(entry);
        byte info = entry[4];
        symbol.Binding = (SymbolBinding)(info >> 4);
        symbol.Type = (SymbolType)(info & 0xF);
        symbol.Visibility = (byte)(entry[5] & 3);
        symbol.SectionIndex = ElfBytes.Read16(entry + 6);
        symbol.Value = ElfBytes.Read64(entry + 8);
        symbol.Size = ElfBytes.Read64(entry + 16);
        _strings.TryGet(symbol.NameOffset, out ReadOnlySpan<byte> name);
        symbol.SetName(name);
        return true;
    }

    /// <summary>
    /// The version of symbol <paramref name="index"/>: false when the object has no version table or the
    /// symbol is local/unversioned (versym 0 or 1); <paramref name="version"/> still carries the index and hidden bit.
    /// </summary>
    public bool TryGetVersion(uint index, out SymbolVersion version)
    {
        version = default;
        if (_versionSymbols == null || index >= Count)
            return false;
        ushort raw = ElfBytes.Read16(_versionSymbols + (ulong)index * 2);
        version.Index = (ushort)(raw & ~HiddenVersionBit);
        version.IsHidden = (raw & HiddenVersionBit) != 0;
        if (version.Index <= GlobalVersionIndex)
            return false;
        if (TryFindDefinition(version.Index, out ReadOnlySpan<byte> name))
        {
            version.SetNames(name, default);
            return true;
        }
        if (TryFindRequirement(version.Index, out name, out ReadOnlySpan<byte> file))
        {
            version.IsRequirement = true;
            version.SetNames(name, file);
            return true;
        }
        return false;
    }

    public bool TryLookup(ReadOnlySpan<byte> name, ReadOnlySpan<byte> version, out ElfSymbol symbol) =>
        TryLookup(name, SymbolHash.Gnu(name), version, out symbol);

    /// <summary>
    /// Finds the definition of <paramref name="name"/> through DT_GNU_HASH (else DT_HASH). With a
    /// <paramref name="version"/>, only a definition of exactly that version — or an unversioned one —
    /// matches; without one, the default (non-hidden) version does, as for an unversioned reference.
    /// </summary>
    public bool TryLookup(ReadOnlySpan<byte> name, uint gnuHash, ReadOnlySpan<byte> version, out ElfSymbol symbol)
    {
        symbol = default;
        uint fallback = 0;
        if (HasGnuHash)
        {
            if (!MayContain(gnuHash))
                return false;
            uint index = ElfBytes.Read32(_gnuBuckets + (gnuHash % _gnuBucketCount) * 4);
            if (index < _gnuSymbolOffset)
                return false;
            for (; index < Count; index++)
            {
                uint chain = ElfBytes.Read32(_gnuChains + (ulong)(index - _gnuSymbolOffset) * 4);
                if ((chain | 1) == (gnuHash | 1) && Matches(index, name, version, ref fallback))
                    return TryGetSymbol(index, out symbol);
                if ((chain & 1) != 0)
                    break;
            }
        }
        else if (HasSysVHash)
        {
            uint index = ElfBytes.Read32(_sysvBuckets + (SymbolHash.SysV(name) % _sysvBucketCount) * 4);
            for (uint steps = 0; index != 0 && index < Count && steps < Count; steps++)
            {
                if (Matches(index, name, version, ref fallback))
                    return TryGetSymbol(index, out symbol);
                index = ElfBytes.Read32(_sysvChains + (ulong)index * 4);
            }
        }
        return fallback != 0 && TryGetSymbol(fallback, out symbol);
    }

    /// <summary>
    /// dladdr's question: the defined symbol nearest at or below <paramref name="value"/> (an address in the
    /// object's own p_vaddr terms, bias removed). Functions, objects and untyped symbols count; TLS,
    /// absolute, section and file symbols do not, nor zero values. Among symbols at the same value the one
    /// whose size covers <paramref name="value"/> wins, then the first in the table. False when none lies at or below.
    /// </summary>
    public bool TryFindNearest(ulong value, out ElfSymbol symbol)
    {
        symbol = default;
        bool found = false;
        bool covers = false;
        for (uint i = 0; i < Count; i++)
        {
            if (!TryGetSymbol(i, out ElfSymbol candidate) || !CanDescribeAddress(candidate) || candidate.Value > value)
                continue;
            bool candidateCovers = value < candidate.Value + candidate.Size;
            if (found && (candidate.Value < symbol.Value || (candidate.Value == symbol.Value && (covers || !candidateCovers))))
                continue;
            symbol = candidate;
            covers = candidateCovers;
            found = true;
        }
        return found;
    }

    private static bool CanDescribeAddress(in ElfSymbol symbol) =>
        symbol.IsDefined && symbol.SectionIndex != ElfSymbol.AbsoluteSection && symbol.Value != 0
        && (symbol.Type == SymbolType.Function || symbol.Type == SymbolType.Object || symbol.Type == SymbolType.NoType
            || symbol.Type == SymbolType.GnuIndirectFunction || symbol.Type == SymbolType.Common);

    private bool MayContain(uint hash)
    {
        ulong word = ElfBytes.Read64(_gnuBloom + (ulong)((hash / 64) & (_gnuBloomWordCount - 1)) * 8);
        ulong mask = (1UL << (int)(hash % 64)) | (1UL << (int)((hash >> (int)_gnuBloomShift) % 64));
        return (word & mask) == mask;
    }

    /// <summary>
    /// glibc's rules for a candidate: a definition (not undefined, not a zero non-TLS value) of a linkable
    /// type, with the requested version. An unversioned request takes an unversioned definition at once and
    /// otherwise remembers the default version in <paramref name="fallback"/>.
    /// </summary>
    private bool Matches(uint index, ReadOnlySpan<byte> name, ReadOnlySpan<byte> version, ref uint fallback)
    {
        if (!TryGetSymbol(index, out ElfSymbol candidate) || !IsLinkableDefinition(candidate) || !ElfBytes.Equal(candidate.Name, name))
            return false;
        if (_versionSymbols == null)
            return true;
        bool versioned = TryGetVersion(index, out SymbolVersion actual);
        if (!version.IsEmpty)
            return !versioned || ElfBytes.Equal(actual.Name, version);
        if (!versioned)
            return true;
        if (!actual.IsHidden && fallback == 0)
            fallback = index;
        return false;
    }

    private static bool IsLinkableDefinition(in ElfSymbol symbol)
    {
        if (!symbol.IsDefined || symbol.Binding == SymbolBinding.Local)
            return false;
        if (symbol.Value == 0 && symbol.Type != SymbolType.Tls)
            return false;
        return symbol.Type == SymbolType.NoType || symbol.Type == SymbolType.Object || symbol.Type == SymbolType.Function
            || symbol.Type == SymbolType.Common || symbol.Type == SymbolType.Tls || symbol.Type == SymbolType.GnuIndirectFunction;
    }

    private ElfError ReadSysVHash(ulong address)
    {
        if (!_view.TryGetPointer(address, 8, out byte* header))
            return ElfError.Of(ElfStatus.BadHashTable, -1, address, (ulong)DynamicTag.Hash);
        uint bucketCount = ElfBytes.Read32(header);
        uint chainCount = ElfBytes.Read32(header + 4);
        if (bucketCount == 0 || !_view.TryGetPointer(address + 8, ((ulong)bucketCount + chainCount) * 4, out _sysvBuckets))
            return ElfError.Of(ElfStatus.BadHashTable, -1, address, (ulong)DynamicTag.Hash);
        _sysvBucketCount = bucketCount;
        _sysvChains = _sysvBuckets + (ulong)bucketCount * 4;
        Count = chainCount;
        return ElfError.Ok;
    }

    private ElfError ReadGnuHash(ulong address)
    {
        ElfError bad = ElfError.Of(ElfStatus.BadHashTable, -1, address, (ulong)DynamicTag.GnuHash);
        if (!_view.TryGetPointer(address, 16, out byte* header))
            return bad;
        uint bucketCount = ElfBytes.Read32(header);
        uint symbolOffset = ElfBytes.Read32(header + 4);
        uint bloomWords = ElfBytes.Read32(header + 8);
        uint bloomShift = ElfBytes.Read32(header + 12);
        if (bucketCount == 0 || bloomWords == 0 || (bloomWords & (bloomWords - 1)) != 0 || bloomShift >= 64)
            return bad;
        ulong bloomBytes = (ulong)bloomWords * 8;
        if (!_view.TryGetPointer(address + 16, bloomBytes + (ulong)bucketCount * 4, out _gnuBloom))
            return bad;
        _gnuBuckets = _gnuBloom + bloomBytes;
        ulong chains = address + 16 + bloomBytes + (ulong)bucketCount * 4;
        uint lastBucket = 0;
        for (uint i = 0; i < bucketCount; i++)
        {
            uint start = ElfBytes.Read32(_gnuBuckets + (ulong)i * 4);
            if (start > lastBucket)
                lastBucket = start;
        }
        uint count = symbolOffset;
        if (lastBucket != 0)
        {
            if (lastBucket < symbolOffset)
                return bad;
            // The chain that starts last ends at the last hashed symbol: its final word has bit 0 set.
            for (uint index = lastBucket; ; index++)
            {
                if (index == uint.MaxValue || !_view.TryGetPointer(chains + (ulong)(index - symbolOffset) * 4, 4, out byte* word))
                    return bad;
                if ((ElfBytes.Read32(word) & 1) != 0)
                {
                    count = index + 1;
                    break;
                }
            }
        }
        if (_sysvBuckets != null && count > Count || !_view.TryGetPointer(chains, (ulong)(count - symbolOffset) * 4, out _gnuChains))
            return bad;
        if (_sysvBuckets == null)
            Count = count;
        _gnuBucketCount = bucketCount;
        _gnuSymbolOffset = symbolOffset;
        _gnuBloomWordCount = bloomWords;
        _gnuBloomShift = bloomShift;
        return ElfError.Ok;
    }

    private ElfError ReadVersions(in DynamicSection dynamic)
    {
        if (dynamic.VersionSymbols != 0 && !_view.TryGetPointer(dynamic.VersionSymbols, (ulong)Count * 2, out _versionSymbols))
            return ElfError.Of(ElfStatus.BadVersionTable, -1, dynamic.VersionSymbols, (ulong)DynamicTag.VersionSymbols);
        _versionDefinitions = dynamic.VersionDefinitions;
        _versionDefinitionCount = dynamic.VersionDefinitions == 0 ? 0 : dynamic.VersionDefinitionCount;
        _versionNeeded = dynamic.VersionNeeded;
        _versionNeededCount = dynamic.VersionNeeded == 0 ? 0 : dynamic.VersionNeededCount;
        ElfError error = WalkDefinitions(0, out _);
        if (error.IsOk)
            error = WalkRequirements(0, out _, out _);
        return error;
    }

    private bool TryFindDefinition(ushort index, out ReadOnlySpan<byte> name) =>
        WalkDefinitions(index, out name).IsOk && !name.IsEmpty;

    private bool TryFindRequirement(ushort index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> file) =>
        WalkRequirements(index, out name, out file).IsOk && !name.IsEmpty;

    /// <summary>Walks DT_VERDEF checking every record; with a nonzero <paramref name="wanted"/> index, stops at its name.</summary>
    private ElfError WalkDefinitions(ushort wanted, out ReadOnlySpan<byte> name)
    {
        name = default;
        ulong address = _versionDefinitions;
        for (ulong k = 0; k < _versionDefinitionCount; k++)
        {
            if (!_view.TryGetPointer(address, DynamicSection.VersionDefinitionRecordSize, out byte* record) || ElfBytes.Read16(record) != 1)
                return ElfError.Of(ElfStatus.BadVersionTable, (int)k, address, (ulong)DynamicTag.VersionDefinitions);
            ushort index = ElfBytes.Read16(record + 4);
            ulong auxiliary = address + ElfBytes.Read32(record + 12);
            if (!_view.TryGetPointer(auxiliary, 8, out byte* first) || !_strings.TryGet(ElfBytes.Read32(first), out ReadOnlySpan<byte> text))
                return ElfError.Of(ElfStatus.BadVersionTable, (int)k, auxiliary, (ulong)DynamicTag.VersionDefinitions);
            if (wanted != 0 && index == wanted)
            {
                name = text;
                return ElfError.Ok;
            }
            uint next = ElfBytes.Read32(record + 16);
            if (next == 0 && k + 1 < _versionDefinitionCount)
                return ElfError.Of(ElfStatus.BadVersionTable, (int)k, address, (ulong)DynamicTag.VersionDefinitionCount);
            address += next;
        }
        return ElfError.Ok;
    }

    /// <summary>Walks DT_VERNEED checking every record; with a nonzero <paramref name="wanted"/> index, stops at its name and file.</summary>
    private ElfError WalkRequirements(ushort wanted, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> file)
    {
        name = default;
        file = default;
        ulong address = _versionNeeded;
        for (ulong k = 0; k < _versionNeededCount; k++)
        {
            if (!_view.TryGetPointer(address, DynamicSection.VersionNeededRecordSize, out byte* record) || ElfBytes.Read16(record) != 1
                || !_strings.TryGet(ElfBytes.Read32(record + 4), out ReadOnlySpan<byte> library))
                return ElfError.Of(ElfStatus.BadVersionTable, (int)k, address, (ulong)DynamicTag.VersionNeeded);
            ushort auxiliaryCount = ElfBytes.Read16(record + 2);
            ulong auxiliary = address + ElfBytes.Read32(record + 8);
            for (ushort a = 0; a < auxiliaryCount; a++)
            {
                if (!_view.TryGetPointer(auxiliary, 16, out byte* entry) || !_strings.TryGet(ElfBytes.Read32(entry + 8), out ReadOnlySpan<byte> text))
                    return ElfError.Of(ElfStatus.BadVersionTable, (int)k, auxiliary, (ulong)DynamicTag.VersionNeeded);
                if (wanted != 0 && ElfBytes.Read16(entry + 6) == wanted)
                {
                    name = text;
                    file = library;
                    return ElfError.Ok;
                }
                uint nextAuxiliary = ElfBytes.Read32(entry + 12);
                if (nextAuxiliary == 0 && a + 1 < auxiliaryCount)
                    return ElfError.Of(ElfStatus.BadVersionTable, (int)k, auxiliary, (ulong)DynamicTag.VersionNeeded);
                auxiliary += nextAuxiliary;
            }
            uint next = ElfBytes.Read32(record + 12);
            if (next == 0 && k + 1 < _versionNeededCount)
                return ElfError.Of(ElfStatus.BadVersionTable, (int)k, address, (ulong)DynamicTag.VersionNeededCount);
            address += next;
        }
        return ElfError.Ok;
    }
}
