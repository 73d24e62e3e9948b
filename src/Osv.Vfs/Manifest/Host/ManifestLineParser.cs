namespace Osv.Vfs.Manifest.Host;

/// <summary>
/// The syntax of one line of an OSv manifest (OSv's scripts/upload_manifest.py and friends):
/// <code>
/// [manifest]                         section header of usr.manifest files
/// # comment                          whole-line comments and blank lines are ignored
/// /guest/path: host/path             a file (or a directory itself)
/// /guest/dir/**: host/dir/**         a host tree, recursively
/// /usr/lib/&amp;/libz.so.1: lib/&amp;       '&amp;' stands for the rest of the guest path on the host side
/// /guest/link: -&gt;target             a symlink (OSv's form); '/guest/link -&gt; target' too
/// </code>
/// OSv's build-time variables (<c>%(gccbase)s</c>) are not supported: such lines are rejected.
/// </summary>
public static class ManifestLineParser
{
    private const string Recursive = "/**";
    private const string Arrow = "->";

    /// <summary>The line's meaning, or null for blank lines, comments and the [manifest] header.</summary>
    /// <exception cref="ManifestException">The line is malformed; the message names the file, line and problem.</exception>
    public static ManifestLine? Parse(string text, int lineNumber, string manifestPath)
    {
        string line = text.Trim();
        if (line.Length == 0 || line.StartsWith('#'))
            return null;
        if (line.StartsWith('[') && line.EndsWith(']'))
        {
            if (line == "[manifest]")
                return null;
            throw Error(manifestPath, lineNumber, "unknown section " + line + "; only [manifest] is known");
        }
        if (line.Contains("%("))
            throw Error(manifestPath, lineNumber, "variables such as %(name)s are not supported; write the path out");

        SplitLine(line, out string guest, out string source, out bool isSymlink, manifestPath, lineNumber);
        if (isSymlink)
            return new ManifestLine(lineNumber, NormalizeGuest(guest, manifestPath, lineNumber), ManifestLineKind.Symlink, source);

        bool guestRecursive = guest.EndsWith(Recursive);
        bool hostRecursive = source.EndsWith(Recursive);
        if (guestRecursive != hostRecursive)
            throw Error(manifestPath, lineNumber, "'/**' must end both the guest and the host path");
        if (guestRecursive)
        {
            string guestDirectory = guest.Substring(0, guest.Length - Recursive.Length);
            string hostDirectory = source.Substring(0, source.Length - Recursive.Length);
            if (guestDirectory.Length == 0)
                guestDirectory = GuestPaths.Root;
            if (hostDirectory.Length == 0)
                hostDirectory = "/";
            return new ManifestLine(lineNumber, NormalizeGuest(guestDirectory, manifestPath, lineNumber), ManifestLineKind.RecursiveCopy, hostDirectory);
        }

        // OSv's '&' shorthand: "/usr/lib/&/libz.so.1: /host/lib/&" copies /host/lib/libz.so.1 to /usr/lib/libz.so.1.
        int ampersand = guest.IndexOf("/&/", System.StringComparison.Ordinal);
        if (ampersand >= 0 || source.EndsWith("/&"))
        {
            if (ampersand < 0 || !source.EndsWith("/&"))
                throw Error(manifestPath, lineNumber, "'&' must stand as '/&/' in the guest path and end the host path as '/&'");
            string rest = guest.Substring(ampersand + 3);
            guest = guest.Substring(0, ampersand) + "/" + rest;
            source = source.Substring(0, source.Length - 1) + rest;
        }
        return new ManifestLine(lineNumber, NormalizeGuest(guest, manifestPath, lineNumber), ManifestLineKind.Copy, source);
    }

    /// <summary>Separates "guest: source" (the first ':' followed by blank space or the line's end) or "guest -> target".</summary>
    private static void SplitLine(string line, out string guest, out string source, out bool isSymlink, string manifestPath, int lineNumber)
    {
        int colon = FindSeparatorColon(line);
        if (colon >= 0)
        {
            guest = line.Substring(0, colon).Trim();
            source = line.Substring(colon + 1).Trim();
            isSymlink = source.StartsWith(Arrow);
            if (isSymlink)
                source = source.Substring(Arrow.Length).Trim();
        }
        else
        {
            int arrow = line.IndexOf(" " + Arrow, System.StringComparison.Ordinal);
            if (arrow < 0)
                throw Error(manifestPath, lineNumber, "expected '/guest/path: host/path', '/guest/link: ->target' or '/guest/link -> target'");
            guest = line.Substring(0, arrow).Trim();
            source = line.Substring(arrow + 1 + Arrow.Length).Trim();
            isSymlink = true;
        }
        if (guest.Length == 0)
            throw Error(manifestPath, lineNumber, "missing guest path");
        if (source.Length == 0)
            throw Error(manifestPath, lineNumber, isSymlink ? "symlink '" + guest + "' has no target" : "guest path '" + guest + "' has no host path");
    }

    private static int FindSeparatorColon(string line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == ':' && (i + 1 == line.Length || line[i + 1] == ' ' || line[i + 1] == '\t'))
                return i;
        }
        return -1;
    }

    private static string NormalizeGuest(string guest, string manifestPath, int lineNumber) =>
        GuestPaths.Normalize(guest, out string? problem) ?? throw Error(manifestPath, lineNumber, problem!);

    private static ManifestException Error(string manifestPath, int lineNumber, string problem) =>
        new ManifestException(manifestPath, lineNumber, problem);
}
