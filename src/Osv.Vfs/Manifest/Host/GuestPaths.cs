using System.Collections.Generic;

namespace Osv.Vfs.Manifest.Host;

/// <summary>Guest paths in the image: absolute, '/'-separated, without '.', '..', empty or trailing parts.</summary>
public static class GuestPaths
{
    public const string Root = "/";

    /// <summary>The normalized path, or null with <paramref name="problem"/> saying why the path is unusable.</summary>
    public static string? Normalize(string path, out string? problem)
    {
        problem = null;
        if (!path.StartsWith('/'))
        {
            problem = "guest path '" + path + "' is relative; guest paths start with '/'";
            return null;
        }
        List<string> parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    problem = "guest path '" + path + "' uses '..' to leave the image root";
                    return null;
                }
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return Root + string.Join('/', parts);
    }

    /// <summary>The parent of a normalized path ("/" for top-level names), or null for the root.</summary>
    public static string? Parent(string normalizedPath)
    {
        if (normalizedPath == Root)
            return null;
        int slash = normalizedPath.LastIndexOf('/');
        return slash == 0 ? Root : normalizedPath.Substring(0, slash);
    }

    /// <summary>Joins a normalized directory and a relative '/'-separated suffix.</summary>
    public static string Combine(string normalizedDirectory, string relative) =>
        normalizedDirectory == Root ? Root + relative : normalizedDirectory + "/" + relative;
}
