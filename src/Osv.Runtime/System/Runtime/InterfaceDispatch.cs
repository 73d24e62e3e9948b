using Internal.Runtime;

namespace System.Runtime
{
    /// <summary>
    /// Resolves interface calls. Each call site owns a dispatch cell {stub, cache}; the cell's stub is
    /// RhpInitialDynamicInterfaceDispatch (assembly), which saves the argument registers and calls
    /// <see cref="ResolveInterfaceCall"/> with `this` and the cell, then jumps to the answer.
    /// </summary>
    internal static unsafe class InterfaceDispatch
    {
        private struct DispatchCell
        {
            public nuint Stub;
            public nuint Cache;
        }

        private const nuint CacheKindMask = 3;
        private const nuint InterfacePointer = 1;
        private const nuint IndirectedInterfaceRelativePointer = 2;
        private const nuint InterfaceRelativePointer = 3;
        private const nuint MaxVTableOffsetPlusOne = 0x1000;

        [RuntimeExport("RhpResolveInterfaceCall")]
        private static nint ResolveInterfaceCall(object thisObject, void* cellAddress)
        {
            if (thisObject == null)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowNullReferenceException();

            DispatchCell* cell = (DispatchCell*)cellAddress;
            nuint cache = cell->Cache;
            MethodTable* type = thisObject!.GetMethodTable();

            if ((cache & CacheKindMask) == 0 && cache < MaxVTableOffsetPlusOne)
                return *(nint*)((byte*)type + cache); // a virtual call through a vtable offset

            // Cells come in runs; the run ends with a cell whose stub is null and whose cache holds the slot.
            DispatchCell* terminator = cell;
            while (terminator->Stub != 0)
                terminator++;
            ushort slot = (ushort)terminator->Cache;

            MethodTable* interfaceType;
            switch (cache & CacheKindMask)
            {
                case InterfacePointer:
                    interfaceType = (MethodTable*)(cache & ~CacheKindMask);
                    break;
                case InterfaceRelativePointer:
                case IndirectedInterfaceRelativePointer:
                    nuint target = ((nuint)(&cell->Cache) + (nuint)(nint)(int)(uint)cache) & ~CacheKindMask;
                    interfaceType = (cache & CacheKindMask) == InterfaceRelativePointer ? (MethodTable*)target : *(MethodTable**)target;
                    break;
                default:
                    RuntimeFailure.FailFast("interface dispatch cell already holds a cache");
                    return 0;
            }

            nint code = FindImplementation(type, interfaceType, slot);
            if (code == 0)
                RuntimeFailure.FailFast("interface method has no implementation");
            return code;
        }

        [RuntimeExport("RhResolveDispatchOnType")]
        internal static nint FindImplementation(MethodTable* type, MethodTable* interfaceType, ushort slot)
        {
            // Exact implementations first (walking up the class chain), then default interface methods.
            for (int pass = 0; pass < 2; pass++)
            {
                bool defaults = pass == 1;
                for (MethodTable* current = type; current != null; current = current->BaseType)
                {
                    if (FindImplementationSlot(current, interfaceType, slot, defaults, out ushort implementationSlot))
                    {
                        if (implementationSlot < current->NumVtableSlots)
                            return type->VTable[implementationSlot]; // may be overridden further down
                        return current->GetSealedVirtualSlot(implementationSlot - current->NumVtableSlots);
                    }
                }
            }
            return 0;
        }

        private static bool FindImplementationSlot(MethodTable* type, MethodTable* interfaceType, ushort slot, bool defaults, out ushort implementationSlot)
        {
            implementationSlot = 0;
            DispatchMap* map = type->DispatchMap;
            if (map == null)
                return false;
            int first = defaults ? map->StandardEntryCount : 0;
            int end = defaults ? map->StandardEntryCount + map->DefaultEntryCount : map->StandardEntryCount;
            DispatchMap.Entry* entries = map->Entries;
            for (int i = first; i < end; i++)
            {
                if (entries[i].InterfaceMethodSlot == slot && type->InterfaceMap[entries[i].InterfaceIndex] == interfaceType)
                {
                    implementationSlot = entries[i].ImplementationMethodSlot;
                    return true;
                }
            }
            return false;
        }
    }
}
