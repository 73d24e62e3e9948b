using System.Runtime.InteropServices;

#pragma warning disable CS0169 // primitives wrap their own value; the compiler never touches the field
namespace System
{
    public abstract class ValueType { }
    public abstract class Enum : ValueType { }
    public struct Void { }

    // The compiler needs each primitive as a struct wrapping itself.
    public struct Boolean { private bool m_value; }
    public struct Char { private char m_value; public const char MaxValue = (char)0xFFFF; public const char MinValue = (char)0; }
    public struct SByte { private sbyte m_value; public const sbyte MaxValue = 127; public const sbyte MinValue = -128; }
    public struct Byte { private byte m_value; public const byte MaxValue = 255; public const byte MinValue = 0; }
    public struct Int16 { private short m_value; public const short MaxValue = 32767; public const short MinValue = -32768; }
    public struct UInt16 { private ushort m_value; public const ushort MaxValue = 65535; public const ushort MinValue = 0; }
    public struct Int32
    {
        private int m_value;
        public const int MaxValue = 0x7fffffff;
        public const int MinValue = unchecked((int)0x80000000);
    }
    public struct UInt32
    {
        private uint m_value;
        public const uint MaxValue = 0xffffffff;
    }
    public struct Int64
    {
        private long m_value;
        public const long MaxValue = 0x7fffffffffffffffL;
        public const long MinValue = unchecked((long)0x8000000000000000L);
    }
    public struct UInt64
    {
        private ulong m_value;
        public const ulong MaxValue = 0xffffffffffffffffUL;
    }
    public struct Single { private float m_value; }
    public struct Double { private double m_value; }

    public unsafe struct IntPtr
    {
        private void* _value;
        public static nint Zero => 0;
        public IntPtr(void* value) { _value = value; }
        public IntPtr(nint value) { _value = (void*)value; }
        public static nint MaxValue => unchecked((nint)0x7fffffffffffffff);
        public static nint MinValue => unchecked((nint)0x8000000000000000);
        public static int Size => sizeof(nint);
        public void* ToPointer() => _value;
        public static explicit operator IntPtr(void* value) => new IntPtr(value);
        public static explicit operator void*(IntPtr value) => value._value;
    }

    public unsafe struct UIntPtr
    {
        private void* _value;
        public static nuint Zero => 0;
        public UIntPtr(void* value) { _value = value; }
        public static nuint MaxValue => unchecked((nuint)0xffffffffffffffff);
        public static nuint MinValue => 0;
        public static int Size => sizeof(nuint);
        public void* ToPointer() => _value;
    }

    public struct RuntimeTypeHandle { private IntPtr _value; }
    public struct RuntimeMethodHandle { private IntPtr _value; }
    public struct RuntimeFieldHandle { private IntPtr _value; }
    public struct RuntimeArgumentHandle { private IntPtr _value; }
    public ref struct TypedReference { private IntPtr _value; private IntPtr _type; }

    public abstract class Type
    {
        public static Type? GetTypeFromHandle(RuntimeTypeHandle handle) => null;
    }

    internal sealed class RuntimeType : Type { }

    public interface IDisposable
    {
        void Dispose();
    }

    public struct Nullable<T> where T : struct
    {
        private readonly bool hasValue;
        internal T value;

        public Nullable(T value)
        {
            this.value = value;
            hasValue = true;
        }

        public readonly bool HasValue => hasValue;
        public readonly T Value => value;
        public readonly T GetValueOrDefault() => value;
        public readonly T GetValueOrDefault(T defaultValue) => hasValue ? value : defaultValue;
        public static implicit operator T?(T value) => new T?(value);
        public static explicit operator T(T? value) => value!.Value;
    }
}
