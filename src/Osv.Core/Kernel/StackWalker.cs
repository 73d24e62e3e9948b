using System;
namespace Osv.Core.Diagnostics
{
    /// <summary>
    /// Frame-pointer backtraces. Every address is checked against the registered stacks before it is
    /// read, so a corrupt chain ends the walk instead of faulting inside the panic.
    /// </summary>
    public static unsafe class StackWalker
    {
        private const int MaxStacks = 8;

        private struct StackRanges
        {
            public fixed ulong Bottoms[MaxStacks];
            public fixed ulong Tops[MaxStacks];
            public int Count;
        }

        private static StackRanges s_stacks;

        public static void RegisterStack(ulong bottom, ulong top)
        {
            fixed (StackRanges* stacks = &s_stacks)
            {
                if (stacks->Count == MaxStacks)
                    return;
                stacks->Bottoms[stacks->Count] = bottom;
                stacks->Tops[stacks->Count] = top;
                stacks->Count++;
            }
        }

        private static bool IsOnKnownStack(ulong address, ulong size)
        {
            fixed (StackRanges* stacks = &s_stacks)
            {
                for (int i = 0; i < stacks->Count; i++)
                {
                    if (address >= stacks->Bottoms[i] && address + size <= stacks->Tops[i])
                        return true;
                }
            }
            return false;
        }

        /// <summary>Fills <paramref name="returnAddresses"/> from the chain starting at <paramref name="framePointer"/>.</summary>
        public static int Walk(ulong framePointer, Span<ulong> returnAddresses)
        {
            int count = 0;
            while (count < returnAddresses.Length && framePointer != 0 && (framePointer & 7) == 0 && IsOnKnownStack(framePointer, 16))
            {
                ulong returnAddress = *(ulong*)(framePointer + 8);
                if (returnAddress == 0)
                    break;
                returnAddresses[count++] = returnAddress;
                ulong next = *(ulong*)framePointer;
                if (next <= framePointer)
                    break; // stacks grow down: callers' frames are at higher addresses
                framePointer = next;
            }
            return count;
        }
    }
}
