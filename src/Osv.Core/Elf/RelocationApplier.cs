using Osv.Core.Memory;

namespace Osv.Core.Elf;

/// <summary>
/// Relocates one laid-out object: DT_RELR, then DT_RELA, then DT_JMPREL (so IRELATIVE resolvers, which sit
/// in the PLT table of static PIEs, run after the data they read is relocated). Stops at the first error.
/// Relocation indexes in errors count DT_RELA entries first and DT_JMPREL entries after them; a DT_RELR
/// error has index -1 and the address in Offset. With <see cref="RelocationContext.DefersMissingFunctions"/>, a
/// JUMP_SLOT of a missing function is left to the PLT (<see cref="LazyBinding"/>) and counted instead.
/// </summary>
public static unsafe class RelocationApplier
{
    public static ElfError ApplyAll(in DynamicSection dynamic, in DynamicSymbols symbols, in RelocationContext context) =>
        ApplyAll(dynamic, symbols, context, out _);

    /// <summary>Like the other overload; <paramref name="deferredSlots"/> counts the JUMP_SLOTs left for lazy binding.</summary>
    public static ElfError ApplyAll(in DynamicSection dynamic, in DynamicSymbols symbols, in RelocationContext context, out int deferredSlots)
    {
        deferredSlots = 0;
        ElfError error = ApplyRelr(dynamic, context);
        if (!error.IsOk)
            return error;
        RelaTable relocations = RelaTable.Relocations(dynamic);
        error = ApplyTable(relocations, 0, symbols, context, ref deferredSlots);
        if (!error.IsOk)
            return error;
        return ApplyTable(RelaTable.PltRelocations(dynamic), (int)relocations.Count, symbols, context, ref deferredSlots);
    }

    public static ElfError ApplyRelr(in DynamicSection dynamic, in RelocationContext context)
    {
        RelrCursor cursor = new RelrCursor(dynamic);
        while (cursor.TryNext(out ulong address))
        {
            if (!context.Image.TryGetWritablePointer(address, 8, out byte* target))
                return ElfError.ForSymbol(ElfStatus.RelocationTargetUnmapped, -1, address, (ulong)X64RelocationType.Relative, default, default, context.ObjectName);
            ElfBytes.Write64(target, ElfBytes.Read64(target) + context.LoadBias);
        }
        return ElfError.Ok;
    }

    private static ElfError ApplyTable(in RelaTable table, int firstIndex, in DynamicSymbols symbols, in RelocationContext context, ref int deferredSlots)
    {
        for (ulong i = 0; i < table.Count; i++)
        {
            table.TryGet(i, out RelaEntry entry);
            int index = firstIndex + (int)i;
            ElfError error = RelocationPlanner.Plan(entry, index, symbols, context, out PlannedStore store);
            if (LazyBinding.Defers(error, entry, context))
            {
                error = LazyBinding.PlanLazySlot(entry, index, context, out store);
                deferredSlots++;
            }
            if (error.IsOk)
                error = Apply(store, index, entry.Type, context);
            if (!error.IsOk)
                return error;
        }
        return ElfError.Ok;
    }

    /// <summary>Writes one planned store into the image.</summary>
    public static ElfError Apply(in PlannedStore store, int index, uint type, in RelocationContext context)
    {
        ulong width = store.IsCopy ? store.CopySize : (ulong)store.Width;
        if (width == 0 && !store.IsCopy)
            return ElfError.Ok;
        if (!context.Image.TryGetWritablePointer(store.Address, width, out byte* target))
            return ElfError.ForSymbol(ElfStatus.RelocationTargetUnmapped, index, store.Address, type, default, default, context.ObjectName);
        if (store.IsCopy)
            RawMemory.Copy(target, (void*)store.CopySource, (nuint)store.CopySize);
        else if (store.Width == 4)
            ElfBytes.Write32(target, (uint)store.Value);
        else
            ElfBytes.Write64(target, store.Value);
        return ElfError.Ok;
    }
}
