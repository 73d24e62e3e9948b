using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Xunit;

namespace Osv.Vfs.Tests.Support;

/// <summary>
/// Native allocator for the readers that counts live blocks (tests assert none leak) and can be
/// told to fail. Per thread: xunit runs each test on one thread.
/// </summary>
internal static unsafe class TrackingAllocator
{
    [ThreadStatic] private static Dictionary<nint, nuint>? t_live;
    [ThreadStatic] private static int t_failAfter;
    [ThreadStatic] private static bool t_failArmed;

    private static Dictionary<nint, nuint> Live => t_live ??= new Dictionary<nint, nuint>();

    public static int LiveBlocks => Live.Count;

    public static delegate*<nuint, void*> AllocateFunction => &Allocate;
    public static delegate*<void*, void> FreeFunction => &Free;

    /// <summary>Lets <paramref name="successes"/> allocations through, then fails every one until <see cref="Reset"/>.</summary>
    public static void FailAfter(int successes)
    {
        t_failArmed = true;
        t_failAfter = successes;
    }

    public static void Reset()
    {
        Live.Clear();
        t_failArmed = false;
    }

    private static void* Allocate(nuint size)
    {
        if (t_failArmed && t_failAfter-- <= 0)
            return null;
        void* block = NativeMemory.Alloc(size == 0 ? 1 : size);
        NativeMemory.Fill(block, size, 0xCD); // the readers must not rely on zeroed memory
        Live.Add((nint)block, size);
        return block;
    }

    private static void Free(void* block)
    {
        Assert.True(Live.Remove((nint)block), "freed a block the allocator did not hand out (or twice)");
        NativeMemory.Free(block);
    }
}
