using Osv.Core.Console;

namespace Osv.Kernel.KernelTests
{
    /// <summary>Comparisons that explain themselves on the console when they fail, so a red test names the number that was wrong.</summary>
    internal static class Expect
    {
        public static bool Equal(string what, long expected, long actual)
        {
            if (expected == actual)
                return true;
            KernelConsole.Write("    ");
            KernelConsole.Write(what);
            KernelConsole.Write(": expected ");
            WriteSigned(expected);
            KernelConsole.Write(", got ");
            WriteSigned(actual);
            KernelConsole.WriteLine();
            return false;
        }

        /// <summary>True when <paramref name="low"/> &lt;= <paramref name="actual"/> &lt;= <paramref name="high"/>.</summary>
        public static bool InRange(string what, long low, long high, long actual)
        {
            if (actual >= low && actual <= high)
                return true;
            KernelConsole.Write("    ");
            KernelConsole.Write(what);
            KernelConsole.Write(": expected ");
            WriteSigned(low);
            KernelConsole.Write("..");
            WriteSigned(high);
            KernelConsole.Write(", got ");
            WriteSigned(actual);
            KernelConsole.WriteLine();
            return false;
        }

        public static bool True(string what, bool condition)
        {
            if (!condition)
            {
                KernelConsole.Write("    not true: ");
                KernelConsole.WriteLine(what);
            }
            return condition;
        }

        private static void WriteSigned(long value)
        {
            if (value < 0)
            {
                KernelConsole.Write("-");
                KernelConsole.WriteDecimal((ulong)(-value));
            }
            else
            {
                KernelConsole.WriteDecimal((ulong)value);
            }
        }
    }
}
