using System;

namespace Osv.Core.Elf;

/// <summary>The auxiliary-vector entries the kernel passes (Linux's include/uapi/linux/auxvec.h and elf.h).</summary>
public static class AuxiliaryVector
{
    public const ulong Null = 0, ProgramHeaders = 3, ProgramHeaderSize = 4, ProgramHeaderCount = 5, PageSize = 6,
        Base = 7, Flags = 8, Entry = 9, Uid = 11, EffectiveUid = 12, Gid = 13, EffectiveGid = 14, Platform = 15,
        HardwareCapabilities = 16, ClockTicks = 17, Secure = 23, Random = 25, ExecutableName = 31;
}

/// <summary>What a new program finds on its stack.</summary>
public unsafe struct ProgramStartInfo
{
    public ulong ProgramHeaders;
    public ulong ProgramHeaderCount;
    public ulong Entry;
    public ulong Base;
    public ulong HardwareCapabilities;
    /// <summary>16 bytes the kernel filled with random data (AT_RANDOM: glibc and musl seed the stack canary from it).</summary>
    public fixed byte Random[16];
}

/// <summary>
/// Lays out the initial process stack of the x86-64 psABI (3.4.1): argc, the argv pointers and a
/// null, the envp pointers and a null, the auxiliary vector ending in AT_NULL, then the strings and
/// the AT_RANDOM bytes above them. Writes into <c>memory</c>, whose last byte is just below
/// <c>top</c> in the program's address space; returns the stack pointer to start with (16-byte
/// aligned, pointing at argc), or 0 when the block does not fit.
/// </summary>
public static unsafe class InitialStack
{
    private const int AuxiliaryPairs = 18;

    public static ulong Build(Span<byte> memory, ulong top, string[] arguments, string[] environment, string executableName, in ProgramStartInfo info)
    {
        // Strings and random bytes go at the top, growing down; the pointer block below them.
        ulong cursor = top;
        int stringBytes = 16 + Length(executableName) + 7; // random bytes, the name, "x86_64"
        foreach (string argument in arguments)
            stringBytes += Length(argument);
        foreach (string variable in environment)
            stringBytes += Length(variable);
        int pointerWords = 1 + arguments.Length + 1 + environment.Length + 1 + 2 * AuxiliaryPairs;
        ulong needed = (ulong)stringBytes + (ulong)pointerWords * 8 + 32;
        if (needed > (ulong)memory.Length)
            return 0;
        ulong bottom = top - (ulong)memory.Length;

        cursor -= 16;
        ulong random = cursor;
        fixed (byte* source = info.Random)
        {
            for (int i = 0; i < 16; i++)
                memory[(int)(random - bottom) + i] = source[i];
        }
        ulong platform = PutString(memory, bottom, ref cursor, "x86_64");
        ulong name = PutString(memory, bottom, ref cursor, executableName);
        ulong* argumentAddresses = stackalloc ulong[arguments.Length + 1];
        ulong* environmentAddresses = stackalloc ulong[environment.Length + 1];
        for (int i = environment.Length - 1; i >= 0; i--)
            environmentAddresses[i] = PutString(memory, bottom, ref cursor, environment[i]);
        for (int i = arguments.Length - 1; i >= 0; i--)
            argumentAddresses[i] = PutString(memory, bottom, ref cursor, arguments[i]);

        ulong stackPointer = (cursor - (ulong)pointerWords * 8) & ~15UL;
        ulong slot = stackPointer;
        Put(memory, bottom, ref slot, (ulong)arguments.Length);
        for (int i = 0; i < arguments.Length; i++)
            Put(memory, bottom, ref slot, argumentAddresses[i]);
        Put(memory, bottom, ref slot, 0);
        for (int i = 0; i < environment.Length; i++)
            Put(memory, bottom, ref slot, environmentAddresses[i]);
        Put(memory, bottom, ref slot, 0);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.ProgramHeaders, info.ProgramHeaders);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.ProgramHeaderSize, ProgramHeader.Size);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.ProgramHeaderCount, info.ProgramHeaderCount);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.PageSize, 4096);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.Base, info.Base);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.Flags, 0);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.Entry, info.Entry);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.Uid, 0);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.EffectiveUid, 0);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.Gid, 0);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.EffectiveGid, 0);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.Platform, platform);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.HardwareCapabilities, info.HardwareCapabilities);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.ClockTicks, 100);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.Secure, 0);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.Random, random);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.ExecutableName, name);
        PutPair(memory, bottom, ref slot, AuxiliaryVector.Null, 0);
        return stackPointer;
    }

    private static int Length(string text) => text.Length + 1;

    private static ulong PutString(Span<byte> memory, ulong bottom, ref ulong cursor, string text)
    {
        cursor -= (ulong)(text.Length + 1);
        int offset = (int)(cursor - bottom);
        for (int i = 0; i < text.Length; i++)
            memory[offset + i] = (byte)text[i];
        memory[offset + text.Length] = 0;
        return cursor;
    }

    private static void Put(Span<byte> memory, ulong bottom, ref ulong slot, ulong value)
    {
        int offset = (int)(slot - bottom);
        for (int i = 0; i < 8; i++)
            memory[offset + i] = (byte)(value >> (8 * i));
        slot += 8;
    }

    private static void PutPair(Span<byte> memory, ulong bottom, ref ulong slot, ulong key, ulong value)
    {
        Put(memory, bottom, ref slot, key);
        Put(memory, bottom, ref slot, value);
    }
}
