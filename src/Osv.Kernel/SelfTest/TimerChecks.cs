using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Core.Time;

namespace Osv.Kernel.SelfTest
{
    /// <summary>
    /// Arms 100 one-shot timers over 2 ms in a scrambled order, cancels every fifth, and runs a 300 µs
    /// periodic timer that cancels itself on its fourth tick; then waits for the APIC to deliver them.
    /// Checks: exactly the uncancelled ones fire, in deadline order, never early; the periodic one
    /// fires four times; nothing is left armed.
    /// </summary>
    [KernelThreadOnly] // runs from the boot sequence
    internal static unsafe class TimerChecks
    {
        private const int OneShots = 100;
        private const ulong Spacing = 20000; // 20 µs
        private const ulong Period = 300000;

        private static int* s_order;
        private static ulong* s_firedAt;
        private static int s_fired;
        private static int s_periodicTicks;

        public static bool Run()
        {
            TimerEntry* timers = (TimerEntry*)NativeMemory.AllocZeroed((nuint)(OneShots + 1) * (nuint)sizeof(TimerEntry));
            s_order = (int*)NativeMemory.AllocZeroed(OneShots * sizeof(int));
            s_firedAt = (ulong*)NativeMemory.AllocZeroed(OneShots * sizeof(ulong));
            s_fired = 0;
            s_periodicTicks = 0;
            bool ok = true;
            int armedBefore = KernelTimers.Count; // the scheduler's tick stays armed

            // Slot i fires at start + (i + 1) * Spacing; arming order is scrambled (37 is coprime with 100).
            // The start leaves room for arming them all under TCG before the first is due.
            ulong start = TscClock.NanosecondsSinceBoot + 2000000;
            for (int k = 0; k < OneShots; k++)
            {
                int i = k * 37 % OneShots;
                timers[i] = new TimerEntry(&OnOneShot, (void*)(nint)i);
                ok &= KernelTimers.ArmAt(&timers[i], start + (ulong)(i + 1) * Spacing, 0);
            }
            TimerEntry* periodic = &timers[OneShots];
            *periodic = new TimerEntry(&OnPeriodic, null);
            ok &= KernelTimers.Arm(periodic, Period, Period);

            int expected = 0;
            for (int i = 0; i < OneShots; i++)
            {
                if (i % 5 == 4)
                    ok &= KernelTimers.Cancel(&timers[i]);
                else
                    expected++;
            }

            ulong deadline = TscClock.NanosecondsSinceBoot + 2000000000UL; // generous: a loaded host stalls vCPUs
            Cpu.EnableInterrupts();
            while ((System.Threading.Volatile.Read(ref s_fired) < expected || System.Threading.Volatile.Read(ref s_periodicTicks) < 4)
                && TscClock.NanosecondsSinceBoot < deadline)
                Cpu.Pause();
            Stack.PrefaultNextPage();
            Cpu.DisableInterrupts();

            if (!ok)
                Osv.Core.Console.KernelConsole.WriteLine("selftest: timers: arming or cancelling failed");
            if (s_fired != expected || s_periodicTicks != 4 || KernelTimers.Count != armedBefore)
            {
                Osv.Core.Console.KernelConsole.Write("selftest: timers: fired ");
                Osv.Core.Console.KernelConsole.WriteDecimal((ulong)s_fired);
                Osv.Core.Console.KernelConsole.Write(", periodic ticks ");
                Osv.Core.Console.KernelConsole.WriteDecimal((ulong)s_periodicTicks);
                Osv.Core.Console.KernelConsole.Write(", still armed ");
                Osv.Core.Console.KernelConsole.WriteDecimal((ulong)(KernelTimers.Count - armedBefore));
                Osv.Core.Console.KernelConsole.WriteLine();
                ok = false;
            }
            for (int n = 0; ok && n < s_fired; n++)
            {
                int slot = s_order[n];
                ok = slot % 5 != 4 && (n == 0 || slot > s_order[n - 1]);
            }
            ok &= !KernelTimers.Cancel(&timers[0]); // already fired: nothing to cancel

            NativeMemory.Free(timers);
            NativeMemory.Free(s_order);
            NativeMemory.Free(s_firedAt);
            return ok;
        }

        [RequiresInterruptsDisabled]
        private static void OnOneShot(TimerEntry* timer)
        {
            int slot = (int)(nint)timer->State;
            if (s_fired < OneShots)
            {
                s_order[s_fired] = slot;
                s_firedAt[s_fired] = TscClock.NanosecondsSinceBoot;
                // Never early: the callback runs at or after its deadline.
                if (s_firedAt[s_fired] < timer->Deadline)
                    s_order[s_fired] = -1;
            }
            s_fired++;
        }

        [RequiresInterruptsDisabled]
        private static void OnPeriodic(TimerEntry* timer)
        {
            if (++s_periodicTicks == 4)
                KernelTimers.Cancel(timer);
        }
    }
}
