using System.Runtime.CompilerServices;

namespace Osv.Kernel.SelfTest
{
    // A static constructor with side effects: must run exactly once, on first access, before the read.
    internal static class LazyConstructed
    {
        public static int ConstructorRuns;
        public static readonly int[] Squares;
        public static readonly string Greeting;

        static LazyConstructed()
        {
            ConstructorRuns++;
            Squares = new int[8];
            for (int i = 0; i < Squares.Length; i++)
                Squares[i] = i * i;
            Greeting = "hello from a class constructor";
        }
    }

    // Reference-type statics with initializers live in GC static bases allocated at start-up.
    internal static class ReferenceStatics
    {
        public static object Marker = new Triangle();
        public static string Text = "static text";
        public static IShape[] Shapes = new IShape[] { new Square(), new Hexagon() };
    }

    internal static class Generic
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static T Last<T>(T[] items) where T : class => items[items.Length - 1];

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int CountNonNull<T>(T?[] items) where T : class
        {
            int count = 0;
            foreach (T? item in items)
            {
                if (item != null)
                    count++;
            }
            return count;
        }
    }
}
