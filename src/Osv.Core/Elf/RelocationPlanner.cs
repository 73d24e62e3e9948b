using System;

namespace Osv.Core.Elf;

/// <summary>
/// Computes what each x86-64 relocation stores (psABI formulas), without writing anything, so the
/// computation is testable on its own and an error leaves the image untouched.
/// </summary>
public static unsafe class RelocationPlanner
{
    /// <summary>Plans relocation <paramref name="entry"/>, number <paramref name="index"/> of the object (for error values).</summary>
    public static ElfError Plan(in RelaEntry entry, int index, in DynamicSymbols symbols, in RelocationContext context, out PlannedStore store)
    {
        store = default;
        store.Address = entry.Offset;
        ulong place = context.LoadBias + entry.Offset;
        X64RelocationType type = entry.X64Type;
        switch (type)
        {
            case X64RelocationType.None:
                return ElfError.Ok;
            case X64RelocationType.Relative:
                return Store64(ref store, context.LoadBias + (ulong)entry.Addend);
            case X64RelocationType.IRelative:
                return CallIfunc(ref store, context, context.LoadBias + (ulong)entry.Addend, index, entry);
            case X64RelocationType.Direct64:
            case X64RelocationType.PcRelative32:
            case X64RelocationType.GlobalData:
            case X64RelocationType.JumpSlot:
            case X64RelocationType.Copy:
            case X64RelocationType.DtpModule64:
            case X64RelocationType.DtpOffset64:
            case X64RelocationType.TpOffset64:
                break;
            default:
                return ElfError.ForSymbol(ElfStatus.UnknownRelocationType, index, entry.Offset, entry.Type, default, default, context.ObjectName);
        }

        ElfError error = Resolve(entry, index, symbols, context, out ResolvedSymbol definition, out ElfSymbol own);
        if (!error.IsOk)
            return error;
        if (definition.Type == SymbolType.GnuIndirectFunction && type != X64RelocationType.Copy)
        {
            error = CallIfunc(ref store, context, definition.Address, index, entry);
            if (!error.IsOk)
                return error;
            definition.Address = store.Value;
        }
        ulong symbolValue = definition.Address;
        switch (type)
        {
            case X64RelocationType.Direct64:
                return Store64(ref store, symbolValue + (ulong)entry.Addend);
            case X64RelocationType.GlobalData:
            case X64RelocationType.JumpSlot:
                return Store64(ref store, symbolValue);
            case X64RelocationType.PcRelative32:
            {
                long value = (long)(symbolValue + (ulong)entry.Addend - place);
                if (value != (int)value)
                    return ElfError.ForSymbol(ElfStatus.RelocationOverflow, index, entry.Offset, (ulong)value, own.Name, default, context.ObjectName);
                store.Width = 4;
                store.Value = (uint)(int)value;
                return ElfError.Ok;
            }
            case X64RelocationType.Copy:
                if (definition.Size > own.Size || entry.SymbolIndex == 0)
                    return ElfError.ForSymbol(ElfStatus.BadCopyRelocation, index, entry.Offset, definition.Size, own.Name, default, context.ObjectName);
                store.IsCopy = true;
                store.CopySource = symbolValue;
                store.CopySize = definition.Size;
                return ElfError.Ok;
            case X64RelocationType.DtpModule64:
                return Store64(ref store, definition.TlsModuleId);
            case X64RelocationType.DtpOffset64:
                return Store64(ref store, symbolValue + (ulong)entry.Addend);
            default: // TpOffset64
                return Store64(ref store, (ulong)definition.TlsBlockOffset + symbolValue + (ulong)entry.Addend);
        }
    }

    /// <summary>
    /// The definition a symbol relocation binds to. Symbol 0 and local symbols are this object's own
    /// (for TLS: this module, offset 0 / the symbol's value); others go to the resolver, and an unresolved
    /// weak reference binds to 0.
    /// </summary>
    private static ElfError Resolve(in RelaEntry entry, int index, in DynamicSymbols symbols, in RelocationContext context,
        out ResolvedSymbol definition, out ElfSymbol own)
    {
        definition = default;
        definition.TlsModuleId = context.TlsModuleId;
        definition.TlsBlockOffset = context.TlsBlockOffset;
        own = default;
        if (entry.SymbolIndex == 0)
            return ElfError.Ok;
        if (!symbols.TryGetSymbol(entry.SymbolIndex, out own))
            return ElfError.ForSymbol(ElfStatus.SymbolIndexOutOfRange, index, entry.Offset, entry.SymbolIndex, default, default, context.ObjectName);
        if (own.Binding == SymbolBinding.Local)
        {
            definition.Type = own.Type;
            definition.Size = own.Size;
            definition.Address = own.Type == SymbolType.Tls ? own.Value : context.LoadBias + own.Value;
            return ElfError.Ok;
        }
        SymbolReference reference = default;
        reference.Symbol = own;
        reference.RelocationType = entry.X64Type;
        reference.HasVersion = symbols.TryGetVersion(entry.SymbolIndex, out reference.Version);
        ResolvedSymbol found = default;
        if (context.Resolve != null && context.Resolve(context.ResolverState, &reference, &found))
        {
            definition = found;
            return ElfError.Ok;
        }
        if (own.Binding == SymbolBinding.Weak)
        {
            definition = default;
            return ElfError.Ok;
        }
        ReadOnlySpan<byte> version = reference.HasVersion ? reference.Version.Name : default;
        return ElfError.ForSymbol(ElfStatus.UndefinedSymbol, index, entry.Offset, entry.Type, own.Name, version, context.ObjectName);
    }

    private static ElfError CallIfunc(ref PlannedStore store, in RelocationContext context, ulong resolver, int index, in RelaEntry entry)
    {
        if (context.CallIfuncResolver == null)
            return ElfError.ForSymbol(ElfStatus.IfuncCallUnavailable, index, entry.Offset, resolver, default, default, context.ObjectName);
        return Store64(ref store, context.CallIfuncResolver(resolver));
    }

    private static ElfError Store64(ref PlannedStore store, ulong value)
    {
        store.Width = 8;
        store.Value = value;
        return ElfError.Ok;
    }
}
