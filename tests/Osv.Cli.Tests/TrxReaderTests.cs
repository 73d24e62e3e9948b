using System.IO;
using Osv.Cli.Testing;
using Osv.Cli.Tests.Support;
using Xunit;

namespace Osv.Cli.Tests;

public sealed class TrxReaderTests
{
    private static string Trx(string storage, params (string Id, string Outcome)[] results)
    {
        string definitions = "", entries = "";
        foreach ((string id, string outcome) in results)
        {
            definitions += $"<UnitTest name=\"T{id}\" storage=\"{storage.ToLowerInvariant()}\" id=\"{id}\"><TestMethod codeBase=\"{storage}\" className=\"C\" name=\"T{id}\" /></UnitTest>";
            entries += $"<UnitTestResult testId=\"{id}\" testName=\"T{id}\" outcome=\"{outcome}\" />";
        }
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>" +
               "<TestRun id=\"r\" name=\"run\" xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\">" +
               "<Times creation=\"2025-01-01T10:00:00.0000000+00:00\" start=\"2025-01-01T10:00:00.0000000+00:00\" finish=\"2025-01-01T10:00:02.5000000+00:00\" />" +
               $"<Results>{entries}</Results><TestDefinitions>{definitions}</TestDefinitions></TestRun>";
    }

    [Fact]
    public void CountsOutcomesPerAssembly()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("a.trx"), Trx("/repo/tests/A/bin/A.Tests.dll", ("1", "Passed"), ("2", "Failed"), ("3", "NotExecuted")));
        File.WriteAllText(temp.Combine("b.trx"), Trx("/repo/tests/B/bin/B.Tests.dll", ("4", "Passed"), ("5", "Passed")));

        TestResultSummary summary = TrxReader.ReadDirectory(temp.Path);

        Assert.Equal(2, summary.Assemblies.Count);
        Assert.Equal(new AssemblyTestResults("A.Tests", 1, 1, 1, System.TimeSpan.FromSeconds(2.5)), summary.Assemblies[0]);
        Assert.Equal("B.Tests", summary.Assemblies[1].Assembly);
        Assert.Equal("3 passed, 1 failed, 1 skipped", summary.ClosingLine);
    }

    [Fact]
    public void TheClosingLineLeavesOutSkippedWhenNoneWere()
    {
        Assert.Equal("7 passed, 0 failed", TestResultSummary.FormatCounts(7, 0, 0));
    }

    [Fact]
    public void OutcomesOtherThanPassedOrSkippedCountAsFailures()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("a.trx"), Trx("A.Tests.dll", ("1", "Timeout"), ("2", "Error"), ("3", "Aborted")));

        Assert.Equal("0 passed, 3 failed", TrxReader.ReadDirectory(temp.Path).ClosingLine);
    }

    [Fact]
    public void AnEmptyDirectoryHasNoResults()
    {
        using var temp = new TempDirectory();

        Assert.Empty(TrxReader.ReadDirectory(temp.Path).Assemblies);
    }

    [Fact]
    public void FindsTheTestProjectsOfASolution()
    {
        using var temp = new TempDirectory();
        string solution = temp.Combine("Osv.sln");
        File.WriteAllText(solution,
            "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Osv.Runtime\", \"src\\Osv.Runtime\\Osv.Runtime.csproj\", \"{1}\"\nEndProject\n" +
            "Project(\"{2150E333-8FDC-42A3-9474-1A3956D46DE8}\") = \"tests\", \"tests\", \"{2}\"\nEndProject\n" +
            "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Osv.Core.Tests\", \"tests\\Osv.Core.Tests\\Osv.Core.Tests.csproj\", \"{3}\"\nEndProject\n" +
            "Project(\"{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}\") = \"Osv.Cli.Tests\", \"tests\\Osv.Cli.Tests\\Osv.Cli.Tests.csproj\", \"{4}\"\nEndProject\n");

        Assert.Equal(
            new[] { new TestProject("Osv.Cli.Tests", "tests/Osv.Cli.Tests/Osv.Cli.Tests.csproj"), new TestProject("Osv.Core.Tests", "tests/Osv.Core.Tests/Osv.Core.Tests.csproj") },
            SolutionTestProjects.Read(solution));
    }
}
