using System.Collections.Generic;
using System.Text;
using Osv.Vfs.Bootfs;
using Xunit;

namespace Osv.Vfs.Tests.Bootfs;

/// <summary>An archive's entries as plain values, read with <see cref="BootfsReader"/>.</summary>
internal static class BootfsTestKit
{
    public sealed record Entry(BootfsEntryKind Kind, string Path, byte[] Data);

    public static List<Entry> ReadAll(byte[] archive)
    {
        var entries = new List<Entry>();
        var reader = new BootfsReader(archive);
        BootfsResult result;
        while ((result = reader.Next(out BootfsEntry entry)).IsOk)
            entries.Add(new Entry(entry.Kind, Encoding.UTF8.GetString(entry.Path), entry.Data.ToArray()));
        Assert.Equal(BootfsStatus.End, result.Status);
        Assert.Equal(BootfsStatus.Ok, BootfsReader.Validate(archive, out int count).Status);
        Assert.Equal(entries.Count, count);
        return entries;
    }
}
