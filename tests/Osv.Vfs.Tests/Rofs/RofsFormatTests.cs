using System;
using System.Buffers.Binary;
using System.Text;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Osv.Vfs.Tests.Support;
using Xunit;
using static Osv.Vfs.Tests.Rofs.RofsTestKit;

namespace Osv.Vfs.Tests.Rofs;

/// <summary>
/// The on-disk format, byte by byte as docs/rofs-format.md (and OSv's gen-rofs-img.py) lays it out:
/// an image assembled here by hand reads back, and the writer's bytes match the hand-made ones.
/// </summary>
public sealed class RofsFormatTests : LeakCheckedTest
{
    /// <summary>/hello (5 bytes), /dir (empty) and /link -> hello, laid out by hand.</summary>
    private static byte[] HandMadeImage()
    {
        byte[] image = new byte[3 * 512];
        Span<byte> superblock = image.AsSpan(0, 512);
        BinaryPrimitives.WriteUInt64LittleEndian(superblock[0..], 0xDEADBEAD);
        BinaryPrimitives.WriteUInt64LittleEndian(superblock[8..], 1);     // version
        BinaryPrimitives.WriteUInt64LittleEndian(superblock[16..], 512);  // block size
        BinaryPrimitives.WriteUInt64LittleEndian(superblock[24..], 2);    // structure region: block 2
        BinaryPrimitives.WriteUInt64LittleEndian(superblock[32..], 1);    // one block long
        BinaryPrimitives.WriteUInt64LittleEndian(superblock[40..], 3);    // directory entries
        BinaryPrimitives.WriteUInt64LittleEndian(superblock[48..], 1);    // symlinks
        BinaryPrimitives.WriteUInt64LittleEndian(superblock[56..], 4);    // inodes

        Encoding.ASCII.GetBytes("hello").CopyTo(image, 512); // block 1: the file's data

        Span<byte> R(int offset) => image.AsSpan(1024 + offset); // block 2: the structure region
        int at = 0;
        void Entry(ulong inode, string name)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(R(at), inode);
            BinaryPrimitives.WriteUInt16LittleEndian(R(at + 8), (ushort)name.Length);
            Encoding.ASCII.GetBytes(name).CopyTo(R(at + 10));
            at += 10 + name.Length;
        }
        void Inode(ulong mode, ulong number, ulong dataOffset, ulong count)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(R(at), mode);
            BinaryPrimitives.WriteUInt64LittleEndian(R(at + 8), number);
            BinaryPrimitives.WriteUInt64LittleEndian(R(at + 16), dataOffset);
            BinaryPrimitives.WriteUInt64LittleEndian(R(at + 24), count);
            at += 32;
        }
        Entry(2, "dir");
        Entry(3, "hello");
        Entry(4, "link");
        BinaryPrimitives.WriteUInt16LittleEndian(R(at), 5);
        Encoding.ASCII.GetBytes("hello").CopyTo(R(at + 2));
        at += 7;
        Inode(0x4000, 1, 0, 3);  // root: entries 0..2
        Inode(0x4000, 2, 0, 0);  // dir: no entries (first index: the table's length when it was written, as in OSv)
        Inode(0x8000, 3, 1, 5);  // hello: block 1, 5 bytes
        Inode(0xA000, 4, 0, 1);  // link: symlink 0
        return image;
    }

    [Fact]
    public void AHandMadeImageReadsBack()
    {
        using RofsVolume volume = Mount(HandMadeImage());
        Assert.Equal("hello", Encoding.ASCII.GetString(ReadAll(volume, Resolve(volume, "/hello"))));
        Assert.Equal("hello", RofsRoundTripTests.SymlinkTarget(volume, "/link"));
        Assert.True(Resolve(volume, "/dir").IsDirectory);
        AssertOk(volume.Verify(out RofsTreeStatistics statistics));
        Assert.Equal(2UL, statistics.Directories);
    }

    [Fact]
    public void TheWriterProducesTheHandMadeBytes()
    {
        byte[] written = RofsImageWriter.Build(new RofsSourceTree()
            .AddFile("/hello", Encoding.ASCII.GetBytes("hello"))
            .AddDirectory("/dir")
            .AddSymlink("/link", "hello"));
        Assert.Equal(HandMadeImage(), written);
    }

    [Fact]
    public void TheSameTreeGivesTheSameBytesWhateverTheOrderOfAdding()
    {
        byte[] first = RofsImageWriter.Build(new RofsSourceTree()
            .AddFile("/b/x", new byte[] { 1 }).AddFile("/a", new byte[] { 2 }).AddFile("/é", new byte[] { 3 }).AddFile("/z", new byte[] { 4 }));
        byte[] second = RofsImageWriter.Build(new RofsSourceTree()
            .AddFile("/z", new byte[] { 4 }).AddFile("/é", new byte[] { 3 }).AddFile("/a", new byte[] { 2 }).AddFile("/b/x", new byte[] { 1 }));
        Assert.Equal(first, second);

        using RofsVolume volume = Mount(first);
        Assert.Equal(new[] { "a", "b", "z", "é" }, RofsRoundTripTests.Names(volume, Resolve(volume, "/"))); // UTF-8 byte order
    }
}
