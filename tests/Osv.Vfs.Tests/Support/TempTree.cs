using System;
using System.IO;

namespace Osv.Vfs.Tests.Support;

/// <summary>A scratch folder under the system temp folder, removed on dispose.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "osv-vfs-" + Guid.NewGuid().ToString("N"));

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Writes a file (creating its folders) and returns its full path.</summary>
    public string Write(string relative, string content = "x")
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string CreateDirectory(string relative) => Directory.CreateDirectory(PathOf(relative)).FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
