using System;
using Osv.Drivers.Blk;
using Xunit;

namespace Osv.Drivers.Tests.Blk;

public sealed class VirtioBlkRequestTests
{
    [Fact]
    public void HeaderIsTypeReservedAndSectorLittleEndian()
    {
        byte[] header = new byte[VirtioBlkRequest.HeaderSize];
        header.AsSpan().Fill(0xCC);

        VirtioBlkRequest.EncodeHeader(header, VirtioBlkRequest.TypeOut, 0x0102_0304_0506_0708);

        Assert.Equal(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1 }, header);
    }

    [Theory]
    [InlineData(VirtioBlkRequest.StatusOk, 0)]
    [InlineData(VirtioBlkRequest.StatusIoError, -5)]
    [InlineData(VirtioBlkRequest.StatusUnsupported, -95)]
    [InlineData(VirtioBlkRequest.StatusPending, -5)]
    public void StatusBecomesAnErrno(byte status, int errno)
    {
        Assert.Equal(errno, VirtioBlkRequest.StatusToErrno(status));
    }
}
