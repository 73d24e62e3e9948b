using System;
using Osv.Vfs.Rofs;
using Osv.Vfs.Rofs.Host;
using Osv.Vfs.Tests.Support;
using Xunit;
using static Osv.Vfs.Tests.Rofs.RofsTestKit;

namespace Osv.Vfs.Tests.Rofs;

/// <summary>
/// Thousands of deterministic random mutations of a valid image: each is mounted, verified and (if
/// it verifies) read in full. No mutation may throw, and every failure must name a structure.
/// </summary>
public sealed class RofsFuzzTests : LeakCheckedTest
{
    private static readonly int Iterations = FuzzBudget.Iterations(4000);

    private static byte[] BaseImage(out RofsImageLayout layout)
    {
        var tree = new RofsSourceTree();
        for (int d = 0; d < 4; d++)
        {
            for (int f = 0; f < 6; f++)
                tree.AddFile($"/d{d}/sub{f % 2}/file{f}", Bytes(f * 300 + d, seed: d * 10 + f));
            tree.AddSymlink($"/d{d}/link", $"/d{(d + 1) % 4}");
        }
        tree.AddDirectory("/empty");
        return RofsImageWriter.Build(tree, out layout);
    }

    [Fact]
    public void RandomMutationsNeverThrowAndFailuresNameAStructure()
    {
        byte[] original = BaseImage(out RofsImageLayout layout);
        int structureStart = (int)layout.Superblock.StructureOffset;
        int detected = 0;
        int accepted = 0;
        for (int seed = 0; seed < Iterations; seed++)
        {
            var random = new Random(seed);
            byte[] image = Mutate(original, structureStart, random);
            RofsResult result = MountVerifyAndReadAll(image);
            if (result.IsOk)
            {
                accepted++;
            }
            else
            {
                detected++;
                Assert.True(result.Structure != RofsStructure.None, $"seed {seed}: {Describe(result)} names no structure");
            }
            AssertNoLeaks();
        }
        // Most damage to the structure region is caught; some (a flipped data byte, a renamed entry) is not damage at all.
        Assert.True(detected > Iterations / 3, $"only {detected} of {Iterations} mutations were detected");
        Assert.True(accepted > 0, "no mutation left a valid image: the fuzzer only tests the superblock check");
    }

    private static byte[] Mutate(byte[] original, int structureStart, Random random)
    {
        byte[] image = (byte[])original.Clone();
        int changes = random.Next(1, 5);
        for (int i = 0; i < changes; i++)
        {
            int kind = random.Next(10);
            int position = kind switch
            {
                0 => random.Next(64),                                        // superblock fields
                < 8 => random.Next(structureStart, image.Length),            // entries, symlinks, inodes
                _ => random.Next(image.Length),                              // anywhere
            };
            image[position] = random.Next(3) switch
            {
                0 => (byte)(image[position] ^ (1 << random.Next(8))),
                1 => (byte)random.Next(256),
                _ => random.Next(2) == 0 ? (byte)0 : (byte)0xFF,
            };
        }
        if (random.Next(20) == 0)
            Array.Resize(ref image, random.Next(image.Length));
        return image;
    }

    private static RofsResult MountVerifyAndReadAll(byte[] image)
    {
        RofsResult result = TryMount(image, out RofsVolume? volume, cacheWindows: 2);
        if (!result.IsOk)
            return result;
        using (volume)
        {
            result = volume!.Verify(out _);
            if (!result.IsOk)
                return result;
            // Verify passed: every inode the tree reaches must now read without a problem.
            return ReadTree(volume, RofsLayout.RootInodeNumber);
        }
    }

    private static RofsResult ReadTree(RofsVolume volume, ulong directoryNumber)
    {
        AssertOk(volume.GetInode(directoryNumber, out RofsInode directory));
        byte[] buffer = new byte[1500];
        for (ulong i = 0; i < directory.Count; i++)
        {
            AssertOk(volume.ReadDirectoryEntry(directory, i, out RofsDirectoryEntry entry));
            AssertOk(volume.GetInode(entry.InodeNumber, out RofsInode child));
            if (child.IsDirectory)
            {
                ReadTree(volume, child.Number);
            }
            else if (child.IsSymlink)
            {
                AssertOk(volume.ReadSymlink(child, out _));
            }
            else
            {
                for (ulong offset = 0; offset < child.FileSize; offset += (ulong)buffer.Length)
                    AssertOk(volume.ReadFile(child, offset, buffer, out _));
            }
        }
        return RofsResult.Ok;
    }
}
