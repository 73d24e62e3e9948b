using System;

namespace Osv.Vfs.Manifest.Host;

/// <summary>A manifest the image builder cannot use; the message reads <c>file:line: problem</c>.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string manifestPath, int lineNumber, string problem)
        : base(manifestPath + ":" + lineNumber + ": " + problem)
    {
        ManifestPath = manifestPath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    public string ManifestPath { get; }

    public int LineNumber { get; }

    /// <summary>The message without the file and line.</summary>
    public string Problem { get; }
}
