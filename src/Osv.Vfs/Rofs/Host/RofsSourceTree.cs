using System;
using System.Collections.Generic;
using System.Text;

namespace Osv.Vfs.Rofs.Host;

/// <summary>
/// The tree a rofs image is built from: directories, files (bytes, or a host file read when the
/// image is written) and symlinks, added by guest path ("/usr/lib/libc.so" or "usr/lib/libc.so").
/// Missing parent directories are created. Mistakes throw <see cref="ArgumentException"/> naming
/// the path: an invalid name, a path added twice, a file used as a directory.
/// </summary>
public sealed class RofsSourceTree
{
    internal RofsSourceNode Root { get; } = RofsSourceNode.Directory("/");

    /// <summary>Adds an (empty) directory; adding one that exists already is fine.</summary>
    public RofsSourceTree AddDirectory(string path)
    {
        RofsSourceNode parent = Root;
        foreach (string name in Split(path))
            parent = ChildDirectory(parent, name, path);
        return this;
    }

    public RofsSourceTree AddFile(string path, byte[] contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return Add(path, guestPath => RofsSourceNode.File(guestPath, contents, hostPath: null));
    }

    /// <summary>Adds a file whose bytes are read from <paramref name="hostPath"/> when the image is written.</summary>
    public RofsSourceTree AddHostFile(string path, string hostPath)
    {
        if (string.IsNullOrEmpty(hostPath))
            throw new ArgumentException($"rofs: '{path}' has an empty host path");
        return Add(path, guestPath => RofsSourceNode.File(guestPath, contents: null, hostPath));
    }

    public RofsSourceTree AddSymlink(string path, string target)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(target ?? "");
        if (bytes.Length == 0)
            throw new ArgumentException($"rofs: symlink '{path}' has an empty target");
        if (bytes.Length > RofsLayout.MaxNameLength)
            throw new ArgumentException($"rofs: symlink '{path}' has a target longer than {RofsLayout.MaxNameLength} bytes");
        if (Array.IndexOf(bytes, (byte)0) >= 0)
            throw new ArgumentException($"rofs: symlink '{path}' has a NUL byte in its target");
        return Add(path, guestPath => RofsSourceNode.Symlink(guestPath, bytes));
    }

    /// <summary>Adds the node <paramref name="create"/> makes from the normalized guest path ("/a/b").</summary>
    private RofsSourceTree Add(string path, Func<string, RofsSourceNode> create)
    {
        List<string> names = Split(path);
        if (names.Count == 0)
            throw new ArgumentException($"rofs: '{path}' names the root directory, which can only be a directory");
        RofsSourceNode parent = Root;
        for (int i = 0; i < names.Count - 1; i++)
            parent = ChildDirectory(parent, names[i], path);
        string leaf = names[^1];
        string guestPath = "/" + string.Join('/', names);
        if (parent.Children.ContainsKey(leaf))
            throw new ArgumentException($"rofs: '{guestPath}' is added twice");
        parent.Children.Add(leaf, create(guestPath));
        return this;
    }

    private static RofsSourceNode ChildDirectory(RofsSourceNode parent, string name, string path)
    {
        if (parent.Children.TryGetValue(name, out RofsSourceNode? existing))
        {
            if (existing.Kind != RofsSourceKind.Directory)
                throw new ArgumentException($"rofs: cannot add '{path}': '{existing.Path}' is not a directory");
            return existing;
        }
        string childPath = parent.Path == "/" ? "/" + name : parent.Path + "/" + name;
        RofsSourceNode child = RofsSourceNode.Directory(childPath);
        parent.Children.Add(name, child);
        return child;
    }

    /// <summary>The path's names; a leading '/' is optional, empty, ".", ".." and NUL-holding names are refused.</summary>
    private static List<string> Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string trimmed = path.StartsWith('/') ? path.Substring(1) : path;
        var names = new List<string>();
        if (trimmed.Length == 0)
            return names;
        foreach (string name in trimmed.Split('/'))
        {
            if (name.Length == 0 || name == "." || name == ".." || name.Contains('\0'))
                throw new ArgumentException($"rofs: '{path}' has an invalid name '{name}'");
            if (Encoding.UTF8.GetByteCount(name) > RofsLayout.MaxNameLength)
                throw new ArgumentException($"rofs: '{path}' has a name longer than {RofsLayout.MaxNameLength} bytes");
            names.Add(name);
        }
        return names;
    }
}
