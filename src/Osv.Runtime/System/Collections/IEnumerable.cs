namespace System.Collections
{
    // The C# compiler requires these types to exist for `foreach` over arrays, even though array
    // loops compile to plain indexing. The kernel's arrays do not implement them.
    public interface IEnumerable
    {
        IEnumerator GetEnumerator();
    }

    public interface IEnumerator
    {
        object? Current { get; }
        bool MoveNext();
        void Reset();
    }
}
