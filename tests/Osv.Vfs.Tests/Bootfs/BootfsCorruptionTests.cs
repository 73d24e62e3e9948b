using System;
using System.Buffers.Binary;
using Osv.Vfs.Bootfs;
using Osv.Vfs.Bootfs.Host;
using Osv.Vfs.Tests.Support;
using Xunit;

namespace Osv.Vfs.Tests.Bootfs;

/// <summary>Every kind of damage to a record is reported with the record's index, never by an exception.</summary>
public sealed class BootfsCorruptionTests
{
    // Records: 0 /dir/ (directory), 1 /file (1000 bytes), 2 /link -> file, then the terminator.
    private readonly byte[] _archive = new BootfsArchiveWriter()
        .AddDirectory("/dir").AddFile("/file", Rofs.RofsTestKit.Bytes(1000, 1)).AddSymlink("/link", "file").Build();

    private static BootfsResult FirstProblem(byte[] archive) => BootfsReader.Validate(archive, out _);

    private void Field(int record, int field, ulong value) =>
        BinaryPrimitives.WriteUInt64LittleEndian(_archive.AsSpan(record * 128 + field), value);

    private void AssertProblem(BootfsStatus status, int record)
    {
        BootfsResult result = FirstProblem(_archive);
        Assert.Equal(status, result.Status);
        Assert.Equal(record, result.RecordIndex);
        Assert.Equal((ulong)record * 128, result.RecordOffset);
        Assert.True(result.IsError);
    }

    [Fact]
    public void TheUndamagedArchiveValidates() => Assert.Equal(BootfsStatus.Ok, FirstProblem(_archive).Status);

    [Fact]
    public void ANameWithoutNulIsRefused()
    {
        _archive.AsSpan(128 + BootfsLayout.NameField, BootfsLayout.NameCapacity).Fill((byte)'x');
        AssertProblem(BootfsStatus.NameNotTerminated, 1);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void AnUnknownTypeIsRefused(byte type)
    {
        _archive[128 + BootfsLayout.TypeField] = type;
        AssertProblem(BootfsStatus.UnknownType, 1);
    }

    [Theory]
    [InlineData(BootfsLayout.SizeField, 1UL << 40)]
    [InlineData(BootfsLayout.SizeField, ulong.MaxValue)]
    [InlineData(BootfsLayout.OffsetField, ulong.MaxValue)]
    [InlineData(BootfsLayout.OffsetField, 1UL << 40)]
    public void DataPastTheEndIsRefused(int field, ulong value)
    {
        Field(1, field, value);
        AssertProblem(BootfsStatus.DataOutOfBounds, 1);
    }

    [Fact]
    public void DataInsideTheRecordTableIsRefused()
    {
        Field(1, BootfsLayout.OffsetField, 0);
        AssertProblem(BootfsStatus.DataOverlapsRecords, 1);
    }

    [Fact]
    public void DataOverlappingRecordsBeyondTheFirstTwoIsFoundByValidate()
    {
        Field(0, BootfsLayout.SizeField, 0);
        Field(1, BootfsLayout.OffsetField, 3 * 128); // past records 1 and 2, but inside the table (4 records)
        var reader = new BootfsReader(_archive);
        Assert.True(reader.Next(out _).IsOk);
        Assert.True(reader.Next(out _).IsOk); // record by record, this cannot be seen yet
        AssertProblem(BootfsStatus.DataOverlapsRecords, 1);
    }

    [Fact]
    public void ADirectoryWithDataIsRefused()
    {
        Field(0, BootfsLayout.SizeField, 1);
        Field(0, BootfsLayout.OffsetField, 512);
        AssertProblem(BootfsStatus.DirectoryHasData, 0);
    }

    [Fact]
    public void ASymlinkWithoutItsNulIsRefused()
    {
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(_archive.AsSpan(2 * 128 + 8));
        _archive[offset + 4] = (byte)'x'; // "file\0" -> "filex"
        AssertProblem(BootfsStatus.SymlinkNotTerminated, 2);
    }

    [Fact]
    public void AnEmptyOrNulHoldingSymlinkTargetIsRefused()
    {
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(_archive.AsSpan(2 * 128 + 8));
        _archive[offset + 1] = 0; // "f\0le\0"
        AssertProblem(BootfsStatus.InvalidSymlinkTarget, 2);
        Field(2, BootfsLayout.SizeField, 1); // data "\0": an empty target
        _archive[offset] = 0;
        AssertProblem(BootfsStatus.InvalidSymlinkTarget, 2);
    }

    [Fact]
    public void EveryTruncationIsReportedWithoutAnException()
    {
        for (int length = 0; length < _archive.Length; length++)
        {
            BootfsResult result = FirstProblem(_archive.AsSpan(0, length).ToArray());
            Assert.True(result.IsError, $"length {length}: {result.Status}");
            // Short of one record nothing can be read; after that, some entry's data (at 512 and up) is cut off.
            Assert.Equal(length < 128 ? BootfsStatus.RecordTruncated : BootfsStatus.DataOutOfBounds, result.Status);
        }
    }

    [Fact]
    public void AMissingTerminatorIsATruncatedTable()
    {
        byte[] records = new byte[2 * 128];
        records[BootfsLayout.NameField] = (byte)'x'; // one empty file "x", then the terminator
        Assert.Equal(BootfsStatus.Ok, FirstProblem(records).Status);
        BootfsResult result = FirstProblem(records.AsSpan(0, 128).ToArray()); // the terminator cut off
        Assert.Equal(BootfsStatus.RecordTruncated, result.Status);
        Assert.Equal(1, result.RecordIndex);
    }

    [Fact]
    public void RandomMutationsNeverThrow()
    {
        int detected = 0;
        int iterations = FuzzBudget.Iterations(3000);
        for (int seed = 0; seed < iterations; seed++)
        {
            var random = new Random(seed);
            byte[] archive = (byte[])_archive.Clone();
            for (int i = random.Next(1, 4); i > 0; i--)
                archive[random.Next(4 * 128)] = (byte)random.Next(256);
            var reader = new BootfsReader(archive);
            BootfsResult result;
            int entries = 0;
            while ((result = reader.Next(out BootfsEntry entry)).IsOk)
            {
                entries++;
                Assert.True(entry.Path.Length < BootfsLayout.NameCapacity);
            }
            Assert.True(entries < archive.Length / 128, "more entries than records");
            if (BootfsReader.Validate(archive, out _).IsError)
                detected++;
        }
        Assert.True(detected > 500, $"only {detected} mutations detected");
    }
}
