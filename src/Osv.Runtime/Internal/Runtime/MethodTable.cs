using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    /// <summary>
    /// The type descriptor ILC emits for every type (.NET 9/10 layout, relative pointers):
    /// a 24-byte header, the vtable, the interface map, then 32-bit relative pointers
    /// (TypeManager, WritableData, DispatchMap?, Finalizer?, SealedVirtualSlots?).
    /// </summary>
    internal unsafe struct MethodTable
    {
        private const uint HasComponentSizeFlag = 0x80000000;
        private const uint KindMask = 0x00030000;
        private const uint ParameterizedKind = 0x00020000;
        private const uint HasDispatchMapFlag = 0x00040000;
        private const uint HasFinalizerFlag = 0x00100000;
        private const uint HasPointersFlag = 0x00200000;
        private const uint HasSealedVTableEntriesFlag = 0x00400000;
        private const uint GenericVarianceFlag = 0x00800000;
        private const uint IsGenericFlag = 0x02000000;
        private const uint ElementTypeMask = 0x7C000000;
        private const int ElementTypeShift = 26;

        private const uint ElementTypeValueType = 0x10;
        private const uint ElementTypeNullable = 0x12;
        private const uint ElementTypeInterface = 0x15;
        private const uint ElementTypeArray = 0x17;
        private const uint ElementTypeSzArray = 0x18;
        private const uint ElementTypeMaxPrimitive = 0x0F;

        private uint _uFlags;
        private uint _uBaseSize;
        private MethodTable* _relatedType;
        private ushort _usNumVtableSlots;
        private ushort _usNumInterfaces;
        private uint _uHashCode;

        public uint Flags => _uFlags;
        public uint BaseSize => _uBaseSize;
        public bool HasComponentSize => (_uFlags & HasComponentSizeFlag) != 0;
        public ushort ComponentSize => HasComponentSize ? (ushort)_uFlags : (ushort)0;
        public ushort NumVtableSlots => _usNumVtableSlots;
        public ushort NumInterfaces => _usNumInterfaces;
        public uint HashCode => _uHashCode;

        public uint ElementType => (_uFlags & ElementTypeMask) >> ElementTypeShift;
        public bool IsInterface => ElementType == ElementTypeInterface;
        public bool IsValueType => ElementType >= 0x02 && ElementType <= ElementTypeNullable;
        public bool IsPrimitive => ElementType <= ElementTypeMaxPrimitive;
        public bool IsNullable => ElementType == ElementTypeNullable;
        public bool IsParameterized => (_uFlags & KindMask) == ParameterizedKind;
        public bool IsArray => ElementType == ElementTypeArray || ElementType == ElementTypeSzArray;
        public bool IsSzArray => ElementType == ElementTypeSzArray;
        public bool HasDispatchMap => (_uFlags & HasDispatchMapFlag) != 0;
        public bool HasFinalizer => (_uFlags & HasFinalizerFlag) != 0;
        public bool ContainsGCPointers => (_uFlags & HasPointersFlag) != 0;
        public bool HasGenericVariance => (_uFlags & GenericVarianceFlag) != 0;
        public bool IsGeneric => (_uFlags & IsGenericFlag) != 0;

        /// <summary>Base type of a class, element type of an array or pointer, underlying type of Nullable.</summary>
        public MethodTable* RelatedType => _relatedType;
        public MethodTable* BaseType => IsParameterized ? null : _relatedType;

        /// <summary>The MethodTable of T (expanded by ILC).</summary>
        [Intrinsic]
        internal static extern MethodTable* Of<T>();

        private byte* Self => (byte*)Unsafe.AsPointer(ref this);

        public nint* VTable => (nint*)(Self + sizeof(MethodTable));

        public MethodTable** InterfaceMap => (MethodTable**)(VTable + _usNumVtableSlots);

        private byte* RelativePointerArea => (byte*)(InterfaceMap + _usNumInterfaces);

        private static byte* ReadRelativePointer(byte* location) => location + *(int*)location;

        /// <summary>Dispatch map: counts, then (interface index, interface slot, implementation slot) triples.</summary>
        public DispatchMap* DispatchMap
        {
            get
            {
                if (!HasDispatchMap)
                    return null;
                // After TypeManager and WritableData.
                return (DispatchMap*)ReadRelativePointer(RelativePointerArea + 2 * sizeof(int));
            }
        }

        /// <summary>Offset of the optional relative pointer after TypeManager, WritableData, DispatchMap?, Finalizer?.</summary>
        private int SealedVirtualSlotsOffset
        {
            get
            {
                int offset = 2 * sizeof(int);
                if (HasDispatchMap)
                    offset += sizeof(int);
                if (HasFinalizer)
                    offset += sizeof(int);
                return offset;
            }
        }

        public nint GetSealedVirtualSlot(int index)
        {
            byte* table = ReadRelativePointer(RelativePointerArea + SealedVirtualSlotsOffset);
            return (nint)ReadRelativePointer(table + index * sizeof(int));
        }

        /// <summary>
        /// T of Nullable&lt;T&gt;: after the sealed slots come GenericDefinition and, for a single type
        /// argument, a direct relative pointer to it (observed in ILC 10's output).
        /// </summary>
        public MethodTable* NullableType
        {
            get
            {
                int offset = SealedVirtualSlotsOffset;
                if ((_uFlags & HasSealedVTableEntriesFlag) != 0)
                    offset += sizeof(int);
                offset += sizeof(int); // GenericDefinition
                return (MethodTable*)ReadRelativePointer(RelativePointerArea + offset);
            }
        }

        /// <summary>
        /// Bytes of a value type's fields: a boxed value's base size less the object header and
        /// MethodTable pointer, less the padding ILC records in bits 5-7 of the flags.
        /// </summary>
        public nuint ValueTypeSize => _uBaseSize - (nuint)(2 * sizeof(nint)) - ((_uFlags >> 5) & 0x7);

        /// <summary>Where the value sits inside Nullable&lt;T&gt;: log2 of it is in bits 8-11 of the flags.</summary>
        public int NullableValueOffset => 1 << (int)((_uFlags >> 8) & 0xF);
    }

    internal unsafe struct DispatchMap
    {
        public ushort StandardEntryCount;
        public ushort DefaultEntryCount;
        public ushort StandardStaticEntryCount;
        public ushort DefaultStaticEntryCount;

        public struct Entry
        {
            public ushort InterfaceIndex;
            public ushort InterfaceMethodSlot;
            public ushort ImplementationMethodSlot;
        }

        public Entry* Entries => (Entry*)((byte*)Unsafe.AsPointer(ref this) + sizeof(DispatchMap));
    }
}
