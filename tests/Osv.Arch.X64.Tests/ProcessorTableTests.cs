using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using Osv.Arch.X64.Acpi;
using Xunit;

namespace Osv.Arch.X64.Tests;

/// <summary>
/// ProcessorTable over ACPI tables laid out by hand at the byte offsets of the ACPI specification
/// (RSDP 5.2.5, XSDT/RSDT 5.2.7-8, MADT 5.2.12 with Processor Local APIC and x2APIC entries).
/// The RSDT path needs 32-bit addresses, so its tables live in memory mapped below 4 GiB.
/// </summary>
public sealed unsafe class ProcessorTableTests : IDisposable
{
    private const int Size = 1 << 16;
    private readonly byte* _memory;
    private int _used;

    public ProcessorTableTests()
    {
        // MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT
        _memory = (byte*)Mmap(IntPtr.Zero, Size, 3, 0x02 | 0x20 | 0x40, -1, 0);
        Assert.True((long)_memory > 0 && (ulong)_memory + Size < 1UL << 32, "mmap(MAP_32BIT) failed");
        new Span<byte>(_memory, Size).Clear();
    }

    public void Dispose() => Munmap((IntPtr)_memory, Size);

    [DllImport("libc", EntryPoint = "mmap")]
    private static extern IntPtr Mmap(IntPtr address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Munmap(IntPtr address, nuint length);

    private byte* Allocate(int length)
    {
        byte* block = _memory + _used;
        _used += (length + 15) & ~15;
        Assert.True(_used <= Size);
        return block;
    }

    private static void Put(byte* at, string ascii)
    {
        for (int i = 0; i < ascii.Length; i++)
            at[i] = (byte)ascii[i];
    }

    private static void FixChecksum(byte* table, int length, int checksumOffset)
    {
        table[checksumOffset] = 0;
        byte sum = 0;
        for (int i = 0; i < length; i++)
            sum += table[i];
        table[checksumOffset] = (byte)(0 - sum);
    }

    private byte* SystemTable(string signature, byte[] body)
    {
        int length = 36 + body.Length;
        byte* table = Allocate(length);
        Put(table, signature);
        *(uint*)(table + 4) = (uint)length;
        table[8] = 1;
        Put(table + 10, "OSVTST");
        for (int i = 0; i < body.Length; i++)
            table[36 + i] = body[i];
        FixChecksum(table, length, 9);
        return table;
    }

    private static byte[] LocalApicEntry(byte processorId, byte apicId, uint flags)
    {
        var entry = new byte[8];
        entry[0] = 0;
        entry[1] = 8;
        entry[2] = processorId;
        entry[3] = apicId;
        BitConverter.GetBytes(flags).CopyTo(entry, 4);
        return entry;
    }

    private static byte[] X2ApicEntry(uint apicId, uint flags)
    {
        var entry = new byte[16];
        entry[0] = 9;
        entry[1] = 16;
        BitConverter.GetBytes(apicId).CopyTo(entry, 4);
        BitConverter.GetBytes(flags).CopyTo(entry, 8);
        return entry;
    }

    private static byte[] IoApicEntry()
    {
        var entry = new byte[12];
        entry[0] = 1;
        entry[1] = 12;
        return entry;
    }

    private byte* Madt(params byte[][] entries)
    {
        var body = new List<byte>();
        body.AddRange(BitConverter.GetBytes(0xFEE00000u));
        body.AddRange(BitConverter.GetBytes(1u));
        foreach (byte[] entry in entries)
            body.AddRange(entry);
        return SystemTable("APIC", body.ToArray());
    }

    private byte* Xsdt(params ulong[] tables)
    {
        var body = new List<byte>();
        foreach (ulong table in tables)
            body.AddRange(BitConverter.GetBytes(table));
        return SystemTable("XSDT", body.ToArray());
    }

    private byte* Rsdt(params uint[] tables)
    {
        var body = new List<byte>();
        foreach (uint table in tables)
            body.AddRange(BitConverter.GetBytes(table));
        return SystemTable("RSDT", body.ToArray());
    }

    private byte* Rsdp(byte revision, byte* rsdt, byte* xsdt)
    {
        byte* rsdp = Allocate(36);
        Put(rsdp, "RSD PTR ");
        Put(rsdp + 9, "OSVTST");
        rsdp[15] = revision;
        *(uint*)(rsdp + 16) = (uint)(ulong)rsdt;
        *(uint*)(rsdp + 20) = 36;
        *(ulong*)(rsdp + 24) = (ulong)xsdt;
        FixChecksum(rsdp, 20, 8);
        FixChecksum(rsdp, 36, 32);
        return rsdp;
    }

    private static uint[] Ids(ProcessorTable table)
    {
        var ids = new uint[table.Count];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = table.ApicId(i);
        return ids;
    }

    [Fact]
    public void ReadsEnabledProcessorsThroughTheXsdt()
    {
        byte* facp = SystemTable("FACP", new byte[20]);
        byte* madt = Madt(LocalApicEntry(0, 0, 1), IoApicEntry(), LocalApicEntry(1, 2, 1), LocalApicEntry(2, 5, 0), X2ApicEntry(300, 1));
        byte* rsdp = Rsdp(2, null, Xsdt((ulong)facp, (ulong)madt));

        Assert.True(ProcessorTable.TryRead(rsdp, out ProcessorTable table));
        Assert.Equal(new uint[] { 0, 2, 300 }, Ids(table)); // APIC id 5 is disabled
        Assert.Equal(0xFEE00000u, table.LocalApicAddress);
    }

    [Fact]
    public void FallsBackToTheRsdtForRevisionZero()
    {
        byte* madt = Madt(LocalApicEntry(0, 0, 1), LocalApicEntry(1, 1, 1));
        byte* rsdp = Rsdp(0, Rsdt((uint)(ulong)madt), null);

        Assert.True(ProcessorTable.TryRead(rsdp, out ProcessorTable table));
        Assert.Equal(new uint[] { 0, 1 }, Ids(table));
    }

    [Fact]
    public void DuplicateApicIdsCountOnce()
    {
        byte* madt = Madt(LocalApicEntry(0, 3, 1), X2ApicEntry(3, 1));
        Assert.True(ProcessorTable.TryRead(Rsdp(2, null, Xsdt((ulong)madt)), out ProcessorTable table));
        Assert.Equal(new uint[] { 3 }, Ids(table));
    }

    [Fact]
    public void BadChecksumsSignaturesAndMissingTablesReadAsNothing()
    {
        byte* madt = Madt(LocalApicEntry(0, 0, 1));
        byte* good = Rsdp(2, null, Xsdt((ulong)madt));
        Assert.True(ProcessorTable.TryRead(good, out _));

        Assert.False(ProcessorTable.TryRead(null, out ProcessorTable none));
        Assert.Equal(0, none.Count);

        madt[40] ^= 0xFF; // corrupt a byte of the MADT body: checksum fails
        Assert.False(ProcessorTable.TryRead(good, out none));
        Assert.Equal(0, none.Count);

        byte* noMadt = Rsdp(2, null, Xsdt((ulong)SystemTable("FACP", new byte[8])));
        Assert.False(ProcessorTable.TryRead(noMadt, out _));

        byte* badSignature = Rsdp(2, null, Xsdt((ulong)Madt(LocalApicEntry(0, 0, 1))));
        badSignature[0] = (byte)'X';
        Assert.False(ProcessorTable.TryRead(badSignature, out _));
    }

    [Fact]
    public void AnEntryRunningPastTheTableRejectsTheTable()
    {
        byte[] truncated = LocalApicEntry(1, 1, 1);
        truncated[1] = 40; // claims 40 bytes, the table ends after 8
        byte* madt = Madt(LocalApicEntry(0, 0, 1), truncated);
        Assert.False(ProcessorTable.TryRead(Rsdp(2, null, Xsdt((ulong)madt)), out ProcessorTable table));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void AZeroLengthEntryDoesNotLoopForever()
    {
        byte[] zero = LocalApicEntry(1, 1, 1);
        zero[1] = 0;
        byte* madt = Madt(LocalApicEntry(0, 0, 1), zero);
        Assert.False(ProcessorTable.TryRead(Rsdp(2, null, Xsdt((ulong)madt)), out _));
    }

    [Fact]
    public void KeepsAtMostTheCapacity()
    {
        var entries = new byte[ProcessorTable.MaxProcessors + 10][];
        for (int i = 0; i < entries.Length; i++)
            entries[i] = X2ApicEntry((uint)i, 1);
        Assert.True(ProcessorTable.TryRead(Rsdp(2, null, Xsdt((ulong)Madt(entries))), out ProcessorTable table));
        Assert.Equal(ProcessorTable.MaxProcessors, table.Count);
        Assert.Equal((uint)(ProcessorTable.MaxProcessors - 1), table.ApicId(ProcessorTable.MaxProcessors - 1));
        Assert.Equal(0u, table.ApicId(ProcessorTable.MaxProcessors));
    }
}
