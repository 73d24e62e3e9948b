namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>The SysV x86-64 va_list (one element of the array type C passes by pointer).</summary>
    internal unsafe struct VaList
    {
        public uint GeneralOffset;
        public uint FloatOffset;
        public void* Overflow;
        public void* RegisterSave;
    }
}
