using System;
using System.Collections.Generic;
using System.Linq;

namespace Osv.Cli.Testing;

/// <summary>Test counts of one test assembly.</summary>
public sealed record AssemblyTestResults(string Assembly, int Passed, int Failed, int Skipped, TimeSpan Duration)
{
    public int Total => Passed + Failed + Skipped;
}

/// <summary>Test counts of a whole `osv test` run, per assembly and in total.</summary>
public sealed record TestResultSummary(IReadOnlyList<AssemblyTestResults> Assemblies)
{
    public int Passed => Assemblies.Sum(assembly => assembly.Passed);
    public int Failed => Assemblies.Sum(assembly => assembly.Failed);
    public int Skipped => Assemblies.Sum(assembly => assembly.Skipped);

    /// <summary>The closing line CI reads: "N passed, N failed", plus ", N skipped" when any were.</summary>
    public string ClosingLine => FormatCounts(Passed, Failed, Skipped);

    public static string FormatCounts(int passed, int failed, int skipped) =>
        $"{passed} passed, {failed} failed" + (skipped > 0 ? $", {skipped} skipped" : "");
}
