using System.Collections.Generic;

namespace Osv.Vfs.Rofs.Host;

internal enum RofsSourceKind
{
    Directory,
    File,
    Symlink,
}

/// <summary>One node of a <see cref="RofsSourceTree"/>; <see cref="Path"/> is its guest path for messages.</summary>
internal sealed class RofsSourceNode
{
    private RofsSourceNode(RofsSourceKind kind, string path)
    {
        Kind = kind;
        Path = path;
    }

    public RofsSourceKind Kind { get; }
    public string Path { get; }
    public Dictionary<string, RofsSourceNode> Children { get; } = new Dictionary<string, RofsSourceNode>(System.StringComparer.Ordinal);
    public byte[]? Contents { get; private init; }
    public string? HostPath { get; private init; }
    public byte[]? Target { get; private init; }

    public static RofsSourceNode Directory(string path) => new RofsSourceNode(RofsSourceKind.Directory, path);

    public static RofsSourceNode File(string path, byte[]? contents, string? hostPath) =>
        new RofsSourceNode(RofsSourceKind.File, path) { Contents = contents, HostPath = hostPath };

    public static RofsSourceNode Symlink(string path, byte[] target) =>
        new RofsSourceNode(RofsSourceKind.Symlink, path) { Target = target };
}
