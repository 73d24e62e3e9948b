using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;

namespace System
{
    /// <summary>A bounds-checked view of contiguous memory (same shape as .NET's).</summary>
    public readonly ref struct Span<T>
    {
        internal readonly ref T _reference;
        private readonly int _length;

        public Span(T[]? array)
        {
            if (array == null)
            {
                this = default;
                return;
            }
            _reference = ref Unsafe.As<byte, T>(ref array.GetRawArrayData());
            _length = array.Length;
        }

        public Span(T[]? array, int start, int length)
        {
            if (array == null)
            {
                if (start != 0 || length != 0)
                    ThrowHelpers.ThrowArgumentOutOfRangeException();
                this = default;
                return;
            }
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)array.Length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref array.GetRawArrayData()), (nint)(uint)start);
            _length = length;
        }

        public unsafe Span(void* pointer, int length)
        {
            if (length < 0)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.As<byte, T>(ref *(byte*)pointer);
            _length = length;
        }

        public Span(ref T reference)
        {
            _reference = ref reference;
            _length = 1;
        }

        internal Span(ref T reference, int length)
        {
            _reference = ref reference;
            _length = length;
        }

        public ref T this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_length)
                    ThrowHelpers.ThrowIndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;
        public static Span<T> Empty => default;

        public ref T GetPinnableReference()
        {
            if (_length == 0)
                return ref Unsafe.NullRef<T>();
            return ref _reference;
        }

        public Span<T> Slice(int start)
        {
            if ((uint)start > (uint)_length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        public Span<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)_length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new Span<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        public void Clear()
        {
            SpanHelpers.ClearWithoutReferences(ref Unsafe.As<T, byte>(ref _reference), (nuint)(uint)_length * (nuint)Unsafe.SizeOf<T>());
        }

        public void Fill(T value)
        {
            for (int i = 0; i < _length; i++)
                Unsafe.Add(ref _reference, (nint)(uint)i) = value;
        }

        public void CopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length)
                ThrowHelpers.ThrowArgumentException();
            Buffer.Memmove(ref Unsafe.As<T, byte>(ref destination._reference), ref Unsafe.As<T, byte>(ref _reference), (nuint)(uint)_length * (nuint)Unsafe.SizeOf<T>());
        }

        public bool TryCopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length)
                return false;
            CopyTo(destination);
            return true;
        }

        public static implicit operator Span<T>(T[]? array) => new Span<T>(array);

        public static implicit operator ReadOnlySpan<T>(Span<T> span) => new ReadOnlySpan<T>(ref span._reference, span._length);
    }

    /// <summary>A read-only bounds-checked view of contiguous memory (same shape as .NET's).</summary>
    public readonly ref struct ReadOnlySpan<T>
    {
        internal readonly ref T _reference;
        private readonly int _length;

        public ReadOnlySpan(T[]? array)
        {
            if (array == null)
            {
                this = default;
                return;
            }
            _reference = ref Unsafe.As<byte, T>(ref array.GetRawArrayData());
            _length = array.Length;
        }

        public ReadOnlySpan(T[]? array, int start, int length)
        {
            if (array == null)
            {
                if (start != 0 || length != 0)
                    ThrowHelpers.ThrowArgumentOutOfRangeException();
                this = default;
                return;
            }
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)array.Length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.Add(ref Unsafe.As<byte, T>(ref array.GetRawArrayData()), (nint)(uint)start);
            _length = length;
        }

        public unsafe ReadOnlySpan(void* pointer, int length)
        {
            if (length < 0)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            _reference = ref Unsafe.As<byte, T>(ref *(byte*)pointer);
            _length = length;
        }

        public ReadOnlySpan(ref readonly T reference)
        {
            _reference = ref Unsafe.AsRef(in reference);
            _length = 1;
        }

        internal ReadOnlySpan(ref T reference, int length)
        {
            _reference = ref reference;
            _length = length;
        }

        public ref readonly T this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_length)
                    ThrowHelpers.ThrowIndexOutOfRangeException();
                return ref Unsafe.Add(ref _reference, (nint)(uint)index);
            }
        }

        public int Length => _length;
        public bool IsEmpty => _length == 0;
        public static ReadOnlySpan<T> Empty => default;

        public ref readonly T GetPinnableReference()
        {
            if (_length == 0)
                return ref Unsafe.NullRef<T>();
            return ref _reference;
        }

        public ReadOnlySpan<T> Slice(int start)
        {
            if ((uint)start > (uint)_length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), _length - start);
        }

        public ReadOnlySpan<T> Slice(int start, int length)
        {
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)_length)
                ThrowHelpers.ThrowArgumentOutOfRangeException();
            return new ReadOnlySpan<T>(ref Unsafe.Add(ref _reference, (nint)(uint)start), length);
        }

        public void CopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length)
                ThrowHelpers.ThrowArgumentException();
            Buffer.Memmove(ref Unsafe.As<T, byte>(ref destination._reference), ref Unsafe.As<T, byte>(ref _reference), (nuint)(uint)_length * (nuint)Unsafe.SizeOf<T>());
        }

        public bool TryCopyTo(Span<T> destination)
        {
            if ((uint)_length > (uint)destination.Length)
                return false;
            CopyTo(destination);
            return true;
        }

        public static implicit operator ReadOnlySpan<T>(T[]? array) => new ReadOnlySpan<T>(array);
    }
}
