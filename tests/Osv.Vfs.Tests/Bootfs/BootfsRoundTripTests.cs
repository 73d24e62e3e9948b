using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using Osv.Vfs.Bootfs;
using Osv.Vfs.Bootfs.Host;
using Osv.Vfs.Tests.Support;
using Xunit;
using static Osv.Vfs.Tests.Bootfs.BootfsTestKit;
using static Osv.Vfs.Tests.Rofs.RofsTestKit;

namespace Osv.Vfs.Tests.Bootfs;

/// <summary>Archives the host writer builds read back through the reader, in OSv's record layout.</summary>
public sealed class BootfsRoundTripTests
{
    [Theory]
    [MemberData(nameof(FileSizes.Edges), MemberType = typeof(FileSizes))]
    public void FilesOfEverySizeReadBackByteForByte(int size)
    {
        byte[] contents = Bytes(size, seed: size);
        byte[] archive = new BootfsArchiveWriter().AddFile("/a/file", contents).AddFile("/b", Bytes(77, 1)).Build();
        var entries = ReadAll(archive);
        Assert.Equal(2, entries.Count);
        Assert.Equal("/a/file", entries[0].Path);
        Assert.Equal(BootfsEntryKind.RegularFile, entries[0].Kind);
        Assert.Equal(Hash(contents), Hash(entries[0].Data));
        Assert.Equal(Hash(Bytes(77, 1)), Hash(entries[1].Data));
    }

    [Fact]
    public void DirectoriesSymlinksAndFilesKeepTheirKinds()
    {
        byte[] archive = new BootfsArchiveWriter()
            .AddDirectory("/tmp")
            .AddSymlink("/lib", "/usr/lib")
            .AddFile("/usr/lib/libc.so", Encoding.ASCII.GetBytes("elf"))
            .Build();
        var entries = ReadAll(archive);
        Assert.Equal(new[] { "/lib", "/tmp", "/usr/lib/libc.so" }, entries.Select(e => e.Path));
        Assert.Equal(new[] { BootfsEntryKind.Symlink, BootfsEntryKind.Directory, BootfsEntryKind.RegularFile }, entries.Select(e => e.Kind));
        Assert.Equal("/usr/lib", Encoding.ASCII.GetString(entries[0].Data));
        Assert.Empty(entries[1].Data);
    }

    [Fact]
    public void ManyEntriesAreAllRead()
    {
        var writer = new BootfsArchiveWriter();
        for (int i = 0; i < 2000; i++)
            writer.AddFile($"/many/f{i:D4}", Encoding.ASCII.GetBytes($"content {i}"));
        var entries = ReadAll(writer.Build());
        Assert.Equal(2000, entries.Count);
        for (int i = 0; i < 2000; i++)
        {
            Assert.Equal($"/many/f{i:D4}", entries[i].Path);
            Assert.Equal($"content {i}", Encoding.ASCII.GetString(entries[i].Data));
        }
    }

    [Fact]
    public void HostFilesAreCopied()
    {
        string hostPath = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(hostPath, Bytes(3000, 9));
            Assert.Equal(Hash(Bytes(3000, 9)), Hash(ReadAll(new BootfsArchiveWriter().AddHostFile("/x", hostPath).Build())[0].Data));
        }
        finally
        {
            File.Delete(hostPath);
        }
    }

    [Fact]
    public void TheOrderOfAddingDoesNotChangeTheBytes()
    {
        byte[] first = new BootfsArchiveWriter().AddFile("/b", new byte[] { 1 }).AddSymlink("/a", "b").AddDirectory("/c").Build();
        byte[] second = new BootfsArchiveWriter().AddDirectory("/c").AddSymlink("/a", "b").AddFile("/b", new byte[] { 1 }).Build();
        Assert.Equal(first, second);
    }

    [Fact]
    public void TheWriterLaysRecordsOutAsOsvDoes()
    {
        byte[] archive = new BootfsArchiveWriter().AddFile("/hello", Encoding.ASCII.GetBytes("hi")).AddSymlink("/link", "hello").AddDirectory("/tmp").Build();

        byte[] expected = new byte[4 * 128 + 2 + 6];
        void Record(int index, ulong size, ulong offset, byte type, string name)
        {
            Span<byte> record = expected.AsSpan(index * 128, 128);
            BinaryPrimitives.WriteUInt64LittleEndian(record, size);
            BinaryPrimitives.WriteUInt64LittleEndian(record[8..], offset);
            record[16] = type;
            Encoding.ASCII.GetBytes(name).CopyTo(record[17..]);
        }
        Record(0, 2, 512, 0, "/hello");
        Record(1, 6, 514, 1, "/link");
        Record(2, 0, 520, 0, "/tmp/");
        // Record 3 is the all-zero terminator.
        Encoding.ASCII.GetBytes("hi").CopyTo(expected, 512);
        Encoding.ASCII.GetBytes("hello\0").CopyTo(expected, 514);
        Assert.Equal(expected, archive);
    }

    [Fact]
    public void AnEmptyArchiveIsJustTheTerminator()
    {
        byte[] archive = new BootfsArchiveWriter().Build();
        Assert.Equal(new byte[128], archive);
        Assert.Empty(ReadAll(archive));
    }

    [Fact]
    public void PaddingAfterTheArchiveIsIgnored()
    {
        byte[] archive = new BootfsArchiveWriter().AddFile("/f", new byte[] { 7 }).Build();
        byte[] padded = new byte[archive.Length + 4096];
        archive.CopyTo(padded, 0);
        Assert.Single(ReadAll(padded));
    }
}
