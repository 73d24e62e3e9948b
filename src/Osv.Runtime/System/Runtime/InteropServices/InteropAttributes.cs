namespace System.Runtime.InteropServices
{
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class UnmanagedCallersOnlyAttribute : Attribute
    {
        public UnmanagedCallersOnlyAttribute() { }
        public Type[]? CallConvs;
        public string? EntryPoint;
    }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class DllImportAttribute : Attribute
    {
        public DllImportAttribute(string dllName) { Value = dllName; }
        public string Value { get; }
        public string? EntryPoint;
        public CharSet CharSet;
        public bool SetLastError;
        public bool ExactSpelling;
        public CallingConvention CallingConvention;
        public bool PreserveSig;
    }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class SuppressGCTransitionAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class UnmanagedCallConvAttribute : Attribute
    {
        public Type[]? CallConvs;
    }

    public enum CallingConvention { Winapi = 1, Cdecl = 2, StdCall = 3, ThisCall = 4, FastCall = 5 }
    public enum CharSet { None = 1, Ansi = 2, Unicode = 3, Auto = 4 }
    public enum LayoutKind { Sequential = 0, Explicit = 2, Auto = 3 }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
    public sealed class StructLayoutAttribute : Attribute
    {
        public StructLayoutAttribute(LayoutKind layoutKind) { Value = layoutKind; }
        public LayoutKind Value { get; }
        public int Pack;
        public int Size;
        public CharSet CharSet;
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = false)]
    public sealed class FieldOffsetAttribute : Attribute
    {
        public FieldOffsetAttribute(int offset) { Value = offset; }
        public int Value { get; }
    }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class InAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    public sealed class OutAttribute : Attribute { }

    public static class MemoryMarshal
    {
        public static ref T GetReference<T>(Span<T> span) => ref span._reference;
        public static ref T GetReference<T>(ReadOnlySpan<T> span) => ref span._reference;
        public static Span<T> CreateSpan<T>(ref T reference, int length) => new Span<T>(ref reference, length);
        public static ReadOnlySpan<T> CreateReadOnlySpan<T>(ref readonly T reference, int length)
            => new ReadOnlySpan<T>(ref CompilerServices.Unsafe.AsRef(in reference), length);
        public static ref T GetArrayDataReference<T>(T[] array)
            => ref CompilerServices.Unsafe.As<byte, T>(ref array.GetRawArrayData());
    }
}

namespace System.Runtime.InteropServices
{
    /// <summary>Looked up by name by ILC; the kernel has no dynamic casting.</summary>
    public unsafe interface IDynamicInterfaceCastable
    {
        internal static nint GetDynamicInterfaceImplementation(IDynamicInterfaceCastable instance, Internal.Runtime.MethodTable* interfaceType, ushort slot)
        {
            Internal.Runtime.RuntimeFailure.FailFast("IDynamicInterfaceCastable is not supported");
            return 0;
        }
    }
}
