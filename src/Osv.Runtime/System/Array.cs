using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>Base of all arrays. Only single-dimension zero-based arrays exist in the kernel.</summary>
    public abstract unsafe class Array
    {
#pragma warning disable CS0649, CS0169
        private int _numComponents;
        private int _padding;
#pragma warning restore CS0649, CS0169

        public int Length => _numComponents;

        internal ref byte GetRawArrayData() => ref Unsafe.As<RawArrayData>(this).Data;
    }

    // ILC looks for Array<T> as the base of T[] (it carries the generic interface implementations).
    public class Array<T> : Array { }
}
