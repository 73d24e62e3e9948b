using System;

namespace Osv.Core.Elf;

/// <summary>
/// Where a DT_NEEDED library is looked for, in order (glibc's, without LD_LIBRARY_PATH and ld.so.cache):
/// <list type="number">
/// <item>a name with a slash is a path: the only candidate;</item>
/// <item>the needing object's DT_RPATH, only when it has no DT_RUNPATH;</item>
/// <item>its DT_RUNPATH;</item>
/// <item>the defaults: /lib64, /usr/lib, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu.</item>
/// </list>
/// Path lists are colon-separated; <c>$ORIGIN</c> and <c>${ORIGIN}</c> become the directory of the needing
/// object; an empty entry is skipped. Pure: the caller tries each candidate on the file system.
/// </summary>
public static class LibrarySearch
{
    private static ReadOnlySpan<byte> Defaults => "/lib64:/usr/lib:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu"u8;

    /// <summary>
    /// Writes candidate number <paramref name="index"/> (0, 1, ...) for <paramref name="name"/> into
    /// <paramref name="output"/>; returns its length, 0 when there are no more, -1 when this one does not
    /// fit (try the next index). <paramref name="origin"/> is the needing object's directory (no trailing slash).
    /// </summary>
    public static int Candidate(ReadOnlySpan<byte> name, ReadOnlySpan<byte> rPath, ReadOnlySpan<byte> runPath,
        ReadOnlySpan<byte> origin, int index, Span<byte> output)
    {
        if (IndexOf(name, (byte)'/') >= 0)
            return index == 0 ? Copy(name, output) : 0;
        if (!runPath.IsEmpty)
            rPath = default;
        int remaining = index;
        if (TryEntry(rPath, ref remaining, out ReadOnlySpan<byte> directory)
            || TryEntry(runPath, ref remaining, out directory)
            || TryEntry(Defaults, ref remaining, out directory))
            return Join(directory, name, origin, output);
        return 0;
    }

    /// <summary>The <paramref name="remaining"/>'th non-empty entry of a colon list, or false after counting this list's entries off.</summary>
    private static bool TryEntry(ReadOnlySpan<byte> list, ref int remaining, out ReadOnlySpan<byte> entry)
    {
        entry = default;
        while (!list.IsEmpty)
        {
            int colon = IndexOf(list, (byte)':');
            ReadOnlySpan<byte> item = colon < 0 ? list : list.Slice(0, colon);
            list = colon < 0 ? default : list.Slice(colon + 1);
            if (item.IsEmpty)
                continue;
            if (remaining == 0)
            {
                entry = item;
                return true;
            }
            remaining--;
        }
        return false;
    }

    private static int Join(ReadOnlySpan<byte> directory, ReadOnlySpan<byte> name, ReadOnlySpan<byte> origin, Span<byte> output)
    {
        int length = 0;
        int i = 0;
        while (i < directory.Length)
        {
            int skip = 0;
            if (StartsWith(directory.Slice(i), "${ORIGIN}"u8))
                skip = 9;
            else if (StartsWith(directory.Slice(i), "$ORIGIN"u8))
                skip = 7;
            if (skip != 0)
            {
                if (!Append(origin, output, ref length))
                    return -1;
                i += skip;
                continue;
            }
            if (length >= output.Length)
                return -1;
            output[length++] = directory[i++];
        }
        if (length > 0 && output[length - 1] == (byte)'/')
            length--;
        if (!Append("/"u8, output, ref length) || !Append(name, output, ref length))
            return -1;
        return length;
    }

    private static int IndexOf(ReadOnlySpan<byte> text, byte value)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == value)
                return i;
        }
        return -1;
    }

    private static bool StartsWith(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix) =>
        text.Length >= prefix.Length && ElfBytes.Equal(text.Slice(0, prefix.Length), prefix);

    private static bool Append(ReadOnlySpan<byte> text, Span<byte> output, ref int length)
    {
        if (length + text.Length > output.Length)
            return false;
        for (int i = 0; i < text.Length; i++)
            output[length++] = text[i];
        return true;
    }

    private static int Copy(ReadOnlySpan<byte> name, Span<byte> output)
    {
        int length = 0;
        return Append(name, output, ref length) ? length : -1;
    }
}
