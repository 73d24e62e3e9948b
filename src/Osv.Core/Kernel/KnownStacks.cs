using Osv.Annotations;
using Osv.Arch.X64.Smp;

namespace Osv.Core.Diagnostics
{
    /// <summary>
    /// The stacks the kernel knows (boot stack, IST stacks, later thread stacks). The panic's unwinder
    /// reads only inside them, so a corrupt stack ends a backtrace instead of faulting inside the panic.
    /// </summary>
    public static unsafe class KnownStacks
    {
        private const int MaxStacks = 1024; // boot and IST stacks, four per secondary CPU, three per thread

        private struct StackRanges
        {
            public fixed ulong Bottoms[MaxStacks];
            public fixed ulong Tops[MaxStacks];
            public int Count;
        }

        private static StackRanges s_stacks;
        private static SpinLock s_lock; // writers only: the panic reads without it, and a torn read only shortens a backtrace

        /// <summary>Forgets the stack that starts at <paramref name="bottom"/> (its memory is about to be reused).</summary>
        public static void Unregister(ulong bottom)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            UnregisterLocked(bottom);
            s_lock.Unlock(wereEnabled);
        }

        [RequiresInterruptsDisabled]
        private static void UnregisterLocked(ulong bottom)
        {
            fixed (StackRanges* stacks = &s_stacks)
            {
                for (int i = 0; i < stacks->Count; i++)
                {
                    if (stacks->Bottoms[i] != bottom)
                        continue;
                    stacks->Count--;
                    stacks->Bottoms[i] = stacks->Bottoms[stacks->Count];
                    stacks->Tops[i] = stacks->Tops[stacks->Count];
                    return;
                }
            }
        }

        public static void Register(ulong bottom, ulong top)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_lock.Lock();
            fixed (StackRanges* stacks = &s_stacks)
            {
                if (stacks->Count < MaxStacks)
                {
                    stacks->Bottoms[stacks->Count] = bottom;
                    stacks->Tops[stacks->Count] = top;
                    stacks->Count++;
                }
            }
            s_lock.Unlock(wereEnabled);
        }

        /// <summary>Whether <paramref name="address"/> lies in the unmapped guard page below a known stack.</summary>
        public static bool IsGuardPage(ulong address)
        {
            fixed (StackRanges* stacks = &s_stacks)
            {
                for (int i = 0; i < stacks->Count; i++)
                {
                    if (address < stacks->Bottoms[i] && address >= stacks->Bottoms[i] - 4096)
                        return true;
                }
            }
            return false;
        }

        public static bool IsReadable(ulong address, ulong size)
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
    }
}
