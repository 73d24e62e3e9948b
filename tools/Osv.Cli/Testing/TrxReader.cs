using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.Testing;

/// <summary>
/// Reads the Visual Studio test result files (.trx) that `dotnet test --logger trx` writes and
/// counts passed, failed and skipped tests per test assembly.
/// </summary>
public static class TrxReader
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static TestResultSummary ReadDirectory(string directory)
    {
        var byAssembly = new Dictionary<string, AssemblyTestResults>(StringComparer.Ordinal);
        if (Directory.Exists(directory))
        {
            foreach (string file in Directory.GetFiles(directory, "*.trx", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                foreach (AssemblyTestResults results in ReadFile(file))
                {
                    byAssembly[results.Assembly] = byAssembly.TryGetValue(results.Assembly, out AssemblyTestResults? earlier)
                        ? new AssemblyTestResults(results.Assembly, earlier.Passed + results.Passed, earlier.Failed + results.Failed,
                            earlier.Skipped + results.Skipped, earlier.Duration + results.Duration)
                        : results;
                }
            }
        }
        return new TestResultSummary(byAssembly.Values.OrderBy(r => r.Assembly, StringComparer.Ordinal).ToList());
    }

    public static IReadOnlyList<AssemblyTestResults> ReadFile(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path);
        }
        catch (XmlException error)
        {
            throw new OsvException($"{path}: not a readable test result file: {error.Message}");
        }

        // Test id -> assembly, from the test definitions.
        var assemblyOfTest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (XElement test in document.Descendants(Trx + "UnitTest"))
        {
            string? id = (string?)test.Attribute("id");
            // codeBase keeps the file name's case; storage is lower-cased.
            string? assemblyPath = (string?)test.Element(Trx + "TestMethod")?.Attribute("codeBase") ?? (string?)test.Attribute("storage");
            if (id != null && assemblyPath != null)
                assemblyOfTest[id] = Path.GetFileNameWithoutExtension(assemblyPath);
        }

        var counts = new Dictionary<string, (int Passed, int Failed, int Skipped)>(StringComparer.Ordinal);
        foreach (XElement result in document.Descendants(Trx + "UnitTestResult"))
        {
            string id = (string?)result.Attribute("testId") ?? "";
            string assembly = assemblyOfTest.TryGetValue(id, out string? name) ? name : Path.GetFileNameWithoutExtension(path);
            (int passed, int failed, int skipped) = counts.TryGetValue(assembly, out var current) ? current : (0, 0, 0);
            switch ((string?)result.Attribute("outcome"))
            {
                case "Passed":
                    passed++;
                    break;
                case "NotExecuted":
                case "Inconclusive":
                    skipped++;
                    break;
                default: // Failed, Error, Timeout, Aborted: anything that did not pass
                    failed++;
                    break;
            }
            counts[assembly] = (passed, failed, skipped);
        }

        TimeSpan duration = RunDuration(document);
        return counts
            .Select(entry => new AssemblyTestResults(entry.Key, entry.Value.Passed, entry.Value.Failed, entry.Value.Skipped, duration))
            .ToList();
    }

    private static TimeSpan RunDuration(XDocument document)
    {
        XElement? times = document.Descendants(Trx + "Times").FirstOrDefault();
        if (times != null
            && DateTimeOffset.TryParse((string?)times.Attribute("start"), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset start)
            && DateTimeOffset.TryParse((string?)times.Attribute("finish"), CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset finish)
            && finish >= start)
        {
            return finish - start;
        }
        return TimeSpan.Zero;
    }
}
