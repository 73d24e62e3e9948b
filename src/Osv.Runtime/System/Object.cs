namespace System
{
    /// <summary>The root of every reference type. Its only field is the MethodTable pointer ILC expects first.</summary>
    public unsafe class Object
    {
#pragma warning disable CS0649 // written by the allocator, never by C#
        internal Internal.Runtime.MethodTable* m_pMethodTable;
#pragma warning restore CS0649

        public Object() { }

        internal Internal.Runtime.MethodTable* GetMethodTable() => m_pMethodTable;

        /// <summary>Address of the first field (or of the array length) — the object's payload.</summary>
        internal ref byte GetRawData() => ref Runtime.CompilerServices.Unsafe.As<RawData>(this).Data;

        internal nuint GetRawObjectDataSize()
        {
            Internal.Runtime.MethodTable* mt = m_pMethodTable;
            nuint size = mt->BaseSize - (nuint)(2 * sizeof(nint));
            if (mt->HasComponentSize)
                size += (nuint)Runtime.CompilerServices.Unsafe.As<RawArrayData>(this).Length * mt->ComponentSize;
            return size;
        }
    }

    internal sealed class RawData
    {
        public byte Data;
    }

    internal sealed class RawArrayData
    {
        public uint Length;
        public uint Padding;
        public byte Data;
    }
}
