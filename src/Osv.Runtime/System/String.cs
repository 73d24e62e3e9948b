using System.Runtime.CompilerServices;

namespace System
{
    /// <summary>
    /// Immutable UTF-16 text. Literals live in the image (frozen); new strings come from the kernel heap.
    /// Layout is fixed by ILC: MethodTable pointer, int length, then the characters and a NUL.
    /// </summary>
    public sealed unsafe class String
    {
#pragma warning disable CS0649
        private int _stringLength;
        private char _firstChar;
#pragma warning restore CS0649

        public static string Empty => "";

        public int Length => _stringLength;

        [IndexerName("Chars")]
        public char this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_stringLength)
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
                return Unsafe.Add(ref _firstChar, index);
            }
        }

        public ref readonly char GetPinnableReference() => ref _firstChar;

        // ILC redirects `new string(...)` to the matching static Ctor method.
#pragma warning disable CS0824 // constructor is extern: ILC replaces it
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(ReadOnlySpan<char> value);
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char* value, int startIndex, int length);
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char c, int count);
#pragma warning restore CS0824

        private static string Ctor(ReadOnlySpan<char> value)
        {
            if (value.Length == 0)
                return Empty;
            string result = FastAllocateString(value.Length);
            fixed (char* source = value)
                Buffer.Memmove(ref Unsafe.As<char, byte>(ref result._firstChar), ref *(byte*)source, (nuint)value.Length * 2);
            return result;
        }

        private static string Ctor(char* value, int startIndex, int length)
            => Ctor(new ReadOnlySpan<char>(value + startIndex, length));

        private static string Ctor(char c, int count)
        {
            if (count <= 0)
                return Empty;
            string result = FastAllocateString(count);
            for (int i = 0; i < count; i++)
                Unsafe.Add(ref result._firstChar, i) = c;
            return result;
        }

        internal static string FastAllocateString(int length)
        {
            // Strings are arrays of char to the allocator; the MethodTable carries the component size.
            // The empty literal is a frozen string in the image: it supplies string's MethodTable.
            return Unsafe.As<string>(Runtime.RuntimeExports.NewArray(Empty.m_pMethodTable, length));
        }

        public string Substring(int startIndex, int length)
        {
            if ((uint)startIndex > (uint)_stringLength || (uint)length > (uint)(_stringLength - startIndex))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
            if (length == _stringLength)
                return this;
            fixed (char* p = &_firstChar)
                return Ctor(new ReadOnlySpan<char>(p + startIndex, length));
        }

        public string Substring(int startIndex) => Substring(startIndex, _stringLength - startIndex);

        public static bool IsNullOrEmpty(string? value) => value is null || value._stringLength == 0;

        public static bool Equals(string? a, string? b)
        {
            if ((object?)a == b)
                return true;
            if (a is null || b is null || a._stringLength != b._stringLength)
                return false;
            return SpanHelpers.SequenceEqual(
                ref Unsafe.As<char, byte>(ref a._firstChar),
                ref Unsafe.As<char, byte>(ref b._firstChar),
                (nuint)a._stringLength * 2);
        }

        public bool Equals(string? other) => Equals(this, other);

        public static bool operator ==(string? a, string? b) => Equals(a, b);
        public static bool operator !=(string? a, string? b) => !Equals(a, b);

        public static implicit operator ReadOnlySpan<char>(string? value)
            => value is null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);

        internal ref char GetRawStringData() => ref _firstChar;
    }
}
