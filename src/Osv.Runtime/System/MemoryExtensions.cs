namespace System
{
    /// <summary>Span conversions (the C# compiler calls AsSpan for string-to-span conversions).</summary>
    public static class MemoryExtensions
    {
        // Built directly: with first-class spans, the compiler lowers string-to-span conversions to AsSpan itself.
        public static ReadOnlySpan<char> AsSpan(this string? text)
            => text is null ? default : new ReadOnlySpan<char>(ref text.GetRawStringData(), text.Length);
        public static ReadOnlySpan<char> AsSpan(this string? text, int start) => AsSpan(text).Slice(start);
        public static ReadOnlySpan<char> AsSpan(this string? text, int start, int length) => AsSpan(text).Slice(start, length);
        public static Span<T> AsSpan<T>(this T[]? array) => new Span<T>(array);
        public static Span<T> AsSpan<T>(this T[]? array, int start) => new Span<T>(array).Slice(start);
        public static Span<T> AsSpan<T>(this T[]? array, int start, int length) => new Span<T>(array, start, length);
    }
}
