using System;
using System.Globalization;

namespace Osv.Vfs.Tests.Support;

/// <summary>
/// How many mutations the fuzz tests try: a bounded default for the test suite, or
/// $OSV_FUZZ_ITERATIONS for a longer run (bench/results.md records one).
/// </summary>
public static class FuzzBudget
{
    public static int Iterations(int suiteDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("OSV_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out int asked) && asked > 0
            ? asked
            : suiteDefault;
}
