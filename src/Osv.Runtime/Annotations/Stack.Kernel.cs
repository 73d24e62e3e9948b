namespace Osv.Annotations
{
    public static unsafe partial class Stack
    {
        static partial void TouchBelow(byte* stackAddress)
        {
            // A volatile read one page below the current frame maps that page if it is lazy.
            byte* below = stackAddress - PageSize;
            System.Threading.Volatile.Read(ref *below);
        }
    }
}
