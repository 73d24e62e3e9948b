using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Osv.Cli.Build;
using Osv.Cli.CommandLine;
using Osv.Cli.Infrastructure;
using Osv.Cli.Testing;

namespace Osv.Cli.Commands;

/// <summary>
/// `osv test`: builds the kernel and the solution, runs every test project of Osv.sln (in
/// parallel, each writing its trx into its own folder so results can never overwrite each
/// other), and summarizes per assembly. The last line is "N passed, N failed".
/// </summary>
public static class TestCommand
{
    public static int Execute(IReadOnlyList<string> arguments)
    {
        TestOptions options = TestOptions.Parse(arguments);
        if (options.ShowHelp)
        {
            Console.Out.Write(Usage.Test);
            return 0;
        }

        RepositoryLayout layout = RepositoryLayout.Locate();
        if (!options.NoBuild)
        {
            new KernelBuilder(layout, Console.Out).Build();
            new KernelBuilder(layout.WithTestImage(true), Console.Out).Build();
            // The same kernel relinked with hidden symbols (tests compare its exports with the lists).
            new KernelBuilder(layout.WithHiddenSymbols(true), Console.Out).Build();
        }

        IReadOnlyList<TestProject> projects = SolutionTestProjects.Read(layout.Solution);
        var problems = new List<string>();
        if (projects.Count == 0)
            problems.Add($"{layout.Relative(layout.Solution)} lists no test projects (*.Tests)");

        Console.Out.WriteLine($"osv test: dotnet build {layout.Relative(layout.Solution)}");
        Console.Out.Flush();
        CommandResult build = ExternalCommand.Run("dotnet", new[] { "build", layout.Relative(layout.Solution), "-nologo", "-v:q" }, layout.Root);
        if (build.ExitCode != 0)
        {
            Console.Out.WriteLine(build.Output.TrimEnd());
            problems.Add($"dotnet build {layout.Relative(layout.Solution)} failed with status {build.ExitCode}");
        }

        if (Directory.Exists(layout.TestResultsDirectory))
            Directory.Delete(layout.TestResultsDirectory, recursive: true);
        Directory.CreateDirectory(layout.TestResultsDirectory);

        Console.Out.WriteLine($"osv test: running {projects.Count} test project{(projects.Count == 1 ? "" : "s")}: {string.Join(", ", projects.Select(p => p.Name))}");
        Console.Out.Flush();
        CommandResult[] runs = Task.WhenAll(projects.Select(project => Task.Run(() => RunProject(layout, project, options.Filter)))).GetAwaiter().GetResult();

        var assemblies = new List<AssemblyTestResults>();
        for (int index = 0; index < projects.Count; index++)
        {
            TestProject project = projects[index];
            Console.Out.WriteLine($"--- {project.Name}");
            Console.Out.WriteLine(runs[index].Output.TrimEnd());
            TestResultSummary results = TrxReader.ReadDirectory(ResultsDirectory(layout, project));
            assemblies.AddRange(results.Assemblies);
            if (results.Assemblies.Count == 0 && options.Filter == null)
                problems.Add($"{project.Name} reported no results (it failed to build, or its test host crashed)");
            else if (runs[index].ExitCode != 0 && results.Failed == 0)
                problems.Add($"{project.Name}: dotnet test failed with status {runs[index].ExitCode}");
        }

        var summary = new TestResultSummary(assemblies);
        if (summary.Passed + summary.Failed == 0)
            problems.Add("no tests ran");

        Console.Out.WriteLine();
        Console.Out.WriteLine($"test results ({layout.Relative(layout.TestResultsDirectory)}):");
        foreach (AssemblyTestResults assembly in summary.Assemblies)
        {
            Console.Out.WriteLine(
                $"  {assembly.Assembly}: {TestResultSummary.FormatCounts(assembly.Passed, assembly.Failed, assembly.Skipped)} ({assembly.Duration.TotalSeconds:0.0} s)");
        }
        foreach (string problem in problems)
            Console.Out.WriteLine($"osv test: {problem}");
        Console.Out.WriteLine(summary.ClosingLine);

        return summary.Failed > 0 || problems.Count > 0 ? 1 : 0;
    }

    private static CommandResult RunProject(RepositoryLayout layout, TestProject project, string? filter)
    {
        var arguments = new List<string>
        {
            "test", project.RelativePath, "--no-build", "--nologo",
            "--logger", "trx",
            "--results-directory", layout.Relative(ResultsDirectory(layout, project)),
        };
        if (filter != null)
            arguments.AddRange(new[] { "--filter", filter });
        return ExternalCommand.Run("dotnet", arguments, layout.Root);
    }

    private static string ResultsDirectory(RepositoryLayout layout, TestProject project) =>
        Path.Combine(layout.TestResultsDirectory, project.Name);
}
