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
/// Damage to inodes and directory entries is reported by the lookup that meets it, or by Verify's
/// full walk, with the structure and offset of the damage — never by an exception.
/// </summary>
public sealed class RofsCorruptionTests : LeakCheckedTest
{
    private readonly byte[] _image;
    private readonly RofsImageLayout _layout;

    public RofsCorruptionTests()
    {
        var tree = new RofsSourceTree()
            .AddFile("/a/f1", Bytes(100, 1))
            .AddFile("/a/f2", Bytes(2000, 2))
            .AddFile("/a/g3", Bytes(3, 3))
            .AddDirectory("/a/sub")
            .AddFile("/b/g", Bytes(10, 3))
            .AddSymlink("/b/link", "/a/f1");
        _image = RofsImageWriter.Build(tree, out _layout);
    }

    private ulong Inode(string path) => _layout.InodeNumbers[path];

    private void PatchInode(string path, int field, ulong value) =>
        BinaryPrimitives.WriteUInt64LittleEndian(_image.AsSpan((int)_layout.InodeOffset(Inode(path)) + field), value);

    /// <summary>Index of the directory entry that names <paramref name="path"/>.</summary>
    private int EntryOf(string path)
    {
        for (int i = 0; i < _layout.DirectoryEntryOffsets.Count; i++)
        {
            if (BinaryPrimitives.ReadUInt64LittleEndian(_image.AsSpan((int)_layout.DirectoryEntryOffsets[i])) == Inode(path))
                return i;
        }
        throw new InvalidOperationException(path);
    }

    /// <summary>Points the entry naming <paramref name="path"/> at another inode; returns the entry's index.</summary>
    private int PatchEntryInode(string path, ulong inode)
    {
        int entry = EntryOf(path);
        BinaryPrimitives.WriteUInt64LittleEndian(_image.AsSpan((int)_layout.DirectoryEntryOffsets[entry]), inode);
        return entry;
    }

    private void PatchEntryName(string path, string name)
    {
        int offset = (int)_layout.DirectoryEntryOffsets[EntryOf(path)];
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        Assert.Equal(BinaryPrimitives.ReadUInt16LittleEndian(_image.AsSpan(offset + 8)), bytes.Length); // same length: the table keeps its shape
        bytes.CopyTo(_image, offset + 10);
    }

    private RofsResult Verify()
    {
        using RofsVolume volume = Mount(_image);
        return volume.Verify(out _);
    }

    private void AssertEntryProblem(RofsResult result, RofsStatus status, string path) => AssertEntryProblem(result, status, EntryOf(path));

    private void AssertEntryProblem(RofsResult result, RofsStatus status, int entry)
    {
        Assert.Equal(status, result.Status);
        Assert.Equal(RofsStructure.DirectoryEntry, result.Structure);
        Assert.Equal((ulong)entry, result.Index);
        Assert.Equal(_layout.DirectoryEntryOffsets[entry], result.Offset);
    }

    private void AssertInodeProblem(RofsResult result, RofsStatus status, string path)
    {
        Assert.Equal(status, result.Status);
        Assert.Equal(RofsStructure.Inode, result.Structure);
        Assert.Equal(Inode(path), result.Index);
        Assert.Equal(_layout.InodeOffset(Inode(path)), result.Offset);
    }

    [Fact]
    public void TheUndamagedImageVerifies() => AssertOk(Verify());

    [Fact]
    public void AnInodeWithTheWrongNumberIsAMismatch()
    {
        PatchInode("/a/f2", RofsLayout.InodeNumberField, 77);
        AssertInodeProblem(Verify(), RofsStatus.InodeNumberMismatch, "/a/f2");
    }

    [Theory]
    [InlineData(0x0000u)]
    [InlineData(0x2000u)]
    [InlineData(0xC000u)]
    public void AnInodeOfUnknownTypeIsRefused(uint mode)
    {
        PatchInode("/b/g", RofsLayout.InodeModeField, mode);
        AssertInodeProblem(Verify(), RofsStatus.UnknownInodeType, "/b/g");
    }

    [Fact]
    public void AFileWhoseDataReachesIntoTheStructureRegionIsOutOfBounds()
    {
        PatchInode("/a/f2", RofsLayout.InodeCountOrSizeField, 1UL << 20);
        AssertInodeProblem(Verify(), RofsStatus.FileDataOutOfBounds, "/a/f2");
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    public void AFileWhoseDataStartsOutsideTheDataAreaIsOutOfBounds(ulong firstBlock)
    {
        PatchInode("/a/f1", RofsLayout.InodeDataOffsetField, firstBlock);
        AssertInodeProblem(Verify(), RofsStatus.FileDataOutOfBounds, "/a/f1");
    }

    [Theory]
    [InlineData(RofsLayout.InodeDataOffsetField, ulong.MaxValue)]
    [InlineData(RofsLayout.InodeCountOrSizeField, ulong.MaxValue)]
    [InlineData(RofsLayout.InodeCountOrSizeField, 100UL)]
    public void ADirectoryWhoseEntriesLiePastTheTableIsOutOfBounds(int field, ulong value)
    {
        PatchInode("/b", field, value);
        AssertInodeProblem(Verify(), RofsStatus.DirectoryRangeOutOfBounds, "/b");
    }

    [Theory]
    [InlineData(RofsLayout.InodeDataOffsetField, 1UL)]
    [InlineData(RofsLayout.InodeCountOrSizeField, 2UL)]
    public void ASymlinkPastTheSymlinkTableIsRefused(int field, ulong value)
    {
        PatchInode("/b/link", field, value);
        AssertInodeProblem(Verify(), RofsStatus.SymlinkIndexOutOfRange, "/b/link");
    }

    [Fact]
    public void AnEntryNamingAMissingInodeIsNamedByTheEntry()
    {
        int entry = PatchEntryInode("/b/g", 1000);
        AssertEntryProblem(Verify(), RofsStatus.InodeNumberOutOfRange, entry);
        using RofsVolume volume = Mount(_image);
        AssertEntryProblem(volume.Lookup(Resolve(volume, "/b"), "g"u8, out _), RofsStatus.InodeNumberOutOfRange, entry);
    }

    [Fact]
    public void ADirectoryEntryPointingAtTheRootIsACycle()
    {
        int entry = PatchEntryInode("/a/sub", RofsLayout.RootInodeNumber);
        AssertEntryProblem(Verify(), RofsStatus.DirectoryCycle, entry);
    }

    [Fact]
    public void ADirectoryEntryPointingAtItsParentIsACycle()
    {
        int entry = PatchEntryInode("/a/sub", Inode("/a"));
        AssertEntryProblem(Verify(), RofsStatus.DirectoryCycle, entry);
    }

    [Fact]
    public void ADirectoryWithTwoParentsIsRefused()
    {
        int entry = PatchEntryInode("/b/g", Inode("/a/sub")); // /a/sub is walked first, then met again under /b
        AssertEntryProblem(Verify(), RofsStatus.DirectoryLinkedTwice, entry);
    }

    [Fact]
    public void DirectoriesSharingEntriesAreRefused()
    {
        // /b claims /a's entries too: walking /a first, the shared entry is met twice.
        ulong aFirst = BinaryPrimitives.ReadUInt64LittleEndian(_image.AsSpan((int)_layout.InodeOffset(Inode("/a")) + RofsLayout.InodeDataOffsetField));
        PatchInode("/b", RofsLayout.InodeDataOffsetField, aFirst);
        RofsResult result = Verify();
        Assert.Equal(RofsStatus.DirectoryEntryShared, result.Status);
        Assert.Equal(aFirst, result.Index);
    }

    [Theory]
    [InlineData("f/", RofsStatus.InvalidName)]
    [InlineData("f\0", RofsStatus.InvalidName)]
    [InlineData("..", RofsStatus.InvalidName)]
    [InlineData("f1", RofsStatus.DuplicateName)]
    public void BadOrDuplicateNamesAreFoundByVerify(string name, RofsStatus expected)
    {
        PatchEntryName("/a/f2", name);
        AssertEntryProblem(Verify(), expected, "/a/f2");
    }

    [Fact]
    public void DuplicatesInAnUnsortedDirectoryAreFound()
    {
        // /a holds f1, f2, g3, sub. "g3" -> "f0" breaks the order with unique names; "f1" then repeats entry 0, two entries back.
        PatchEntryName("/a/g3", "f0");
        AssertOk(Verify());
        PatchEntryName("/a/g3", "f1");
        AssertEntryProblem(Verify(), RofsStatus.DuplicateName, "/a/g3");
    }

    [Fact]
    public void AnEmptySymlinkTargetIsRefused()
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_image.AsSpan((int)_layout.SymlinksOffset), 0);
        // The table shrinks by the target's length, so the inode table moves: mount sees the shortfall or Verify the empty target.
        RofsResult result = TryMount(_image, out RofsVolume? volume);
        if (result.IsOk)
        {
            result = volume!.Verify(out _);
            volume.Dispose();
        }
        Assert.False(result.IsOk);
    }

    [Fact]
    public void ANameRunningPastTheRegionIsATruncatedEntry()
    {
        int last = _layout.DirectoryEntryOffsets.Count - 1;
        BinaryPrimitives.WriteUInt16LittleEndian(_image.AsSpan((int)_layout.DirectoryEntryOffsets[last] + 8), ushort.MaxValue);
        RofsResult result = TryMount(_image, out RofsVolume? volume);
        Assert.Null(volume);
        Assert.Equal(RofsStatus.DirectoryEntryTruncated, result.Status);
        Assert.Equal((ulong)last, result.Index);
        Assert.Equal(_layout.DirectoryEntryOffsets[last], result.Offset);
    }

    [Fact]
    public void ARootThatIsNotADirectoryIsRefusedAtMount()
    {
        PatchInode("/", RofsLayout.InodeModeField, RofsLayout.RegularFileMode);
        Assert.Equal(RofsStatus.RootNotDirectory, TryMount(_image, out _).Status);
    }

    [Fact]
    public void TreesDeeperThanTheLimitAreRefused()
    {
        string path = "";
        for (int depth = 1; depth < RofsVolume.MaxTreeDepth; depth++)
            path += "/d";
        byte[] image = RofsImageWriter.Build(new RofsSourceTree().AddFile(path + "/leaf", new byte[1]), out RofsImageLayout layout);
        using (RofsVolume volume = Mount(image))
        {
            AssertOk(volume.Verify(out RofsTreeStatistics statistics));
            Assert.Equal(RofsVolume.MaxTreeDepth, statistics.MaxDepth);
        }

        // Turning the leaf file into an empty directory puts one directory past the limit.
        int leaf = (int)layout.InodeOffset(layout.InodeNumbers[path + "/leaf"]);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(leaf + RofsLayout.InodeModeField), RofsLayout.DirectoryMode);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(leaf + RofsLayout.InodeDataOffsetField), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(leaf + RofsLayout.InodeCountOrSizeField), 0);
        using RofsVolume deep = Mount(image);
        Assert.Equal(RofsStatus.TreeTooDeep, deep.Verify(out _).Status);
    }
}
