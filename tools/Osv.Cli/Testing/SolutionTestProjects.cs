using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Osv.Cli.Testing;

/// <summary>A test project of the solution: its name (also its assembly's) and its path from the root.</summary>
public sealed record TestProject(string Name, string RelativePath);

/// <summary>The test projects listed in Osv.sln: the projects whose name ends in ".Tests".</summary>
public static class SolutionTestProjects
{
    private static readonly Regex ProjectLine = new(
        "^Project\\(\"\\{[^}]+\\}\"\\)\\s*=\\s*\"(?<name>[^\"]+)\"\\s*,\\s*\"(?<path>[^\"]+\\.csproj)\"",
        RegexOptions.Multiline);

    public static IReadOnlyList<TestProject> Read(string solutionPath)
    {
        string text = File.ReadAllText(solutionPath);
        return ProjectLine.Matches(text)
            .Select(match => match.Groups["path"].Value.Replace('\\', '/'))
            .Select(path => new TestProject(Path.GetFileNameWithoutExtension(path), path))
            .Where(project => project.Name.EndsWith(".Tests", System.StringComparison.Ordinal))
            .DistinctBy(project => project.Name)
            .OrderBy(project => project.Name, System.StringComparer.Ordinal)
            .ToList();
    }
}
