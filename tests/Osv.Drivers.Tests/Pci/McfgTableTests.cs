using System;
using System.Collections.Generic;
using Osv.Drivers.Pci;
using Xunit;

namespace Osv.Drivers.Tests.Pci;

public sealed unsafe class McfgTableTests
{
    private static byte[] Mcfg(params (ulong Base, ushort Segment, byte Start, byte End)[] windows)
    {
        var bytes = new List<byte>();
        bytes.AddRange("MCFG"u8.ToArray());
        bytes.AddRange(BitConverter.GetBytes((uint)(44 + 16 * windows.Length)));
        bytes.Add(1); // revision
        bytes.Add(0); // checksum, fixed below
        bytes.AddRange(new byte[26 + 8]); // OEM fields, reserved
        foreach (var window in windows)
        {
            bytes.AddRange(BitConverter.GetBytes(window.Base));
            bytes.AddRange(BitConverter.GetBytes(window.Segment));
            bytes.Add(window.Start);
            bytes.Add(window.End);
            bytes.AddRange(new byte[4]);
        }
        byte[] table = bytes.ToArray();
        byte sum = 0;
        foreach (byte b in table)
            sum += b;
        table[9] = (byte)-sum;
        return table;
    }

    private static bool Parse(byte[] table, out McfgTable mcfg)
    {
        fixed (byte* bytes = table)
            return McfgTable.TryParse(bytes, (uint)table.Length, out mcfg);
    }

    [Fact]
    public void ReadsQemuQ35sWindow()
    {
        Assert.True(Parse(Mcfg((0xB000_0000, 0, 0, 255)), out McfgTable mcfg));

        Assert.Equal(1, mcfg.Count);
        Assert.Equal(0xB000_0000UL, mcfg.BaseAddress(0));
        Assert.Equal((0, 255), ((int)mcfg.StartBus(0), (int)mcfg.EndBus(0)));
        Assert.Equal(0xB000_0000UL + (1UL << 20) + (3UL << 15) + (2UL << 12), mcfg.ConfigPage(new PciAddress(1, 3, 2)));
    }

    [Fact]
    public void AWindowStartingAtALaterBusIsOffsetFromThatBus()
    {
        Assert.True(Parse(Mcfg((0xE000_0000, 0, 16, 31)), out McfgTable mcfg));

        Assert.Equal(0xE000_0000UL + (2UL << 20), mcfg.ConfigPage(new PciAddress(18, 0, 0)));
        Assert.Equal(0UL, mcfg.ConfigPage(new PciAddress(0, 0, 0)));
        Assert.Equal(0UL, mcfg.ConfigPage(new PciAddress(32, 0, 0)));
    }

    [Fact]
    public void OtherSegmentsAndNonsenseEntriesAreSkipped()
    {
        Assert.True(Parse(Mcfg((0xC000_0000, 1, 0, 255), (0xB000_0001, 0, 0, 1), (0xB000_0000, 0, 9, 3), (0xD000_0000, 0, 0, 7)), out McfgTable mcfg));

        Assert.Equal(1, mcfg.Count);
        Assert.Equal(0xD000_0000UL, mcfg.BaseAddress(0));
    }

    [Fact]
    public void ABadChecksumSignatureOrLengthIsRejected()
    {
        byte[] table = Mcfg((0xB000_0000, 0, 0, 255));
        byte[] badSum = (byte[])table.Clone();
        badSum[50] ^= 1;
        byte[] badSignature = (byte[])table.Clone();
        badSignature[0] = (byte)'X';

        Assert.False(Parse(badSum, out _));
        Assert.False(Parse(badSignature, out _));
        fixed (byte* bytes = table)
            Assert.False(McfgTable.TryParse(bytes, (uint)table.Length - 1, out _));
        Assert.False(Parse(Mcfg(), out _));
    }

    [Fact]
    public void LegacyPortAddressesPackBusDeviceFunctionAndDword()
    {
        Assert.Equal(0x8001_1A3Cu, new PciAddress(1, 3, 2).PortAddress(0x3E));
    }
}
