namespace Osv.Core.Elf;

/// <summary>
/// Lazy PLT binding as glibc's ld.so does it, for the symbols no object defines at load time. An object that
/// does not ask for BIND_NOW (DT_BIND_NOW, DF_BIND_NOW, DF_1_NOW) and has a PLT GOT may leave a JUMP_SLOT whose
/// function is missing unbound: the slot keeps the address of its PLT entry's `push index; jmp PLT0` (the
/// link-time value plus the load bias, as glibc's elf_machine_lazy_rel), and PLT0 pushes GOT[1] (an identifier
/// of the object) and jumps to GOT[2] (the resolver). A call binds the slot then, or fails with glibc's
/// `symbol lookup error`. Data references (GLOB_DAT, 64, COPY) and weak ones are not deferred: the first fail
/// at load as in glibc, the second bind to 0.
/// </summary>
public static unsafe class LazyBinding
{
    /// <summary>GOT[1]: what PLT0 pushes, the object the resolver binds for.</summary>
    public const ulong ObjectSlotOffset = 8;
    /// <summary>GOT[2]: where PLT0 jumps, the resolver trampoline.</summary>
    public const ulong ResolverSlotOffset = 16;

    /// <summary>True when the object lets function slots wait for their first call: no BIND_NOW, a PLT GOT, PLT relocations.</summary>
    public static bool IsAllowed(in DynamicSection dynamic) =>
        !dynamic.IsBindNow && dynamic.PltGot != 0 && dynamic.JumpRelocations != 0;

    /// <summary>True when a relocation's failure only means its function is missing and the context may wait for a call.</summary>
    public static bool Defers(in ElfError error, in RelaEntry entry, in RelocationContext context) =>
        context.DefersMissingFunctions && error.Status == ElfStatus.UndefinedSymbol && entry.X64Type == X64RelocationType.JumpSlot;

    /// <summary>The store that leaves a JUMP_SLOT to the PLT: its own link-time value (the entry's push) plus the load bias.</summary>
    public static ElfError PlanLazySlot(in RelaEntry entry, int index, in RelocationContext context, out PlannedStore store)
    {
        store = default;
        if (!context.Image.TryRead64(entry.Offset, out ulong linkTimeValue))
            return ElfError.ForSymbol(ElfStatus.RelocationTargetUnmapped, index, entry.Offset, entry.Type, default, default, context.ObjectName);
        store.Address = entry.Offset;
        store.Width = 8;
        store.Value = context.LoadBias + linkTimeValue;
        return ElfError.Ok;
    }

    /// <summary>Points the object's GOT[1] at <paramref name="objectId"/> and GOT[2] at <paramref name="resolver"/>, which PLT0 uses.</summary>
    public static ElfError InstallResolver(in DynamicSection dynamic, in AddressSpaceView image, ulong objectId, ulong resolver)
    {
        if (!image.TryGetWritablePointer(dynamic.PltGot + ObjectSlotOffset, 16, out byte* slots))
            return ElfError.Of(ElfStatus.RelocationTargetUnmapped, -1, dynamic.PltGot + ObjectSlotOffset);
        ElfBytes.Write64(slots, objectId);
        ElfBytes.Write64(slots + (ResolverSlotOffset - ObjectSlotOffset), resolver);
        return ElfError.Ok;
    }

    /// <summary>glibc's LD_BIND_NOW: set to anything non-empty in the program's environment, every object binds at load.</summary>
    public static bool AsksForBindNow(string[] environment)
    {
        const string prefix = "LD_BIND_NOW=";
        for (int i = 0; i < environment.Length; i++)
        {
            string variable = environment[i];
            if (variable == null || variable.Length <= prefix.Length)
                continue;
            int matched = 0;
            while (matched < prefix.Length && variable[matched] == prefix[matched])
                matched++;
            if (matched == prefix.Length)
                return true;
        }
        return false;
    }
}
