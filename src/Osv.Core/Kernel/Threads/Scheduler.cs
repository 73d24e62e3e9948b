using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Time;
using Osv.Core.Memory;
using Osv.Core.Time;

namespace Osv.Core.Threads
{
    /// <summary>
    /// The boot CPU's scheduler: one FIFO run queue, round-robin, preemption by a 10 ms tick at the end
    /// of the timer interrupt (the preempted thread's frame stays on its own interrupt stack). Scheduler
    /// state is touched only with interrupts off, which on one CPU makes it atomic. When no thread can
    /// run, the CPU halts until an interrupt makes one runnable.
    /// </summary>
    public static unsafe class Scheduler
    {
        public const ulong TimeSlice = 10000000; // 10 ms

        private static PageSource s_pages;
        private static KernelThread s_current = null!;
        private static readonly ThreadQueue s_runQueue = new ThreadQueue();
        private static KernelThread? s_zombies;
        private static bool s_needReschedule;
        private static bool s_inScheduler;
        private static int s_nextId;
        private static int s_liveThreads;
        private static TimerEntry* s_tick;

        public static KernelThread Current => s_current;

        /// <summary>The running thread's id; 0 (the boot thread) before the scheduler starts.</summary>
        public static int CurrentId => s_current == null ? 0 : s_current.Id;
        public static int LiveThreads => s_liveThreads;

        /// <summary>Adopts the running boot code as thread 0 and starts the preemption tick.</summary>
        [KernelThreadOnly]
        public static bool Initialize(PageSource pages)
        {
            s_pages = pages;
            LazyStacks.Initialize(pages);
            KernelThread boot = new KernelThread();
            boot.Id = s_nextId++;
            boot.State = ThreadState.Running;
            boot.Stacks.Base = 0; // the boot stack and the CPU's IST stacks are static
            s_current = boot;
            s_liveThreads = 1;
            s_tick = (TimerEntry*)NativeMemory.AllocZeroed((nuint)sizeof(TimerEntry));
            boot.SleepTimer = (TimerEntry*)NativeMemory.AllocZeroed((nuint)sizeof(TimerEntry));
            if (s_tick == null || boot.SleepTimer == null)
                return false;
            *boot.SleepTimer = new TimerEntry(&OnSleepTimer, boot.AsPointer());
            *s_tick = new TimerEntry(&OnTick, null);
            KernelTimers.AfterInterrupt = &PreemptIfNeeded;
            Stack.PreemptibleProbe = &CanFault;
            return KernelTimers.Arm(s_tick, TimeSlice, TimeSlice);
        }

        /// <summary>Creates a runnable kernel thread (populated stack); null when memory runs out.</summary>
        public static KernelThread? Create(delegate*<void*, void> entry, void* argument) => Create(entry, argument, 0);

        /// <summary>
        /// Creates a runnable thread; with <paramref name="lazyStackSize"/> its stack is reserved, not
        /// populated (application threads): pages appear on first touch. Null when memory runs out.
        /// </summary>
        public static KernelThread? Create(delegate*<void*, void> entry, void* argument, ulong lazyStackSize)
        {
            if (!ThreadStacks.TryAllocate(s_pages, lazyStackSize, out ThreadStacks stacks))
                return null;
            TimerEntry* sleepTimer = (TimerEntry*)NativeMemory.AllocZeroed((nuint)sizeof(TimerEntry));
            if (sleepTimer == null)
            {
                stacks.Free(s_pages);
                return null;
            }
            KernelThread thread = new KernelThread();
            thread.Stacks = stacks;
            thread.Entry = entry;
            thread.Argument = argument;
            thread.SleepTimer = sleepTimer;
            *sleepTimer = new TimerEntry(&OnSleepTimer, thread.AsPointer());
            thread.SavedStackPointer = ContextSwitch.PrepareNewThread(stacks.StackTop, thread.AsPointer());

            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            thread.Id = s_nextId++;
            s_liveThreads++;
            thread.State = ThreadState.Runnable;
            s_runQueue.Add(thread);
            Cpu.RestoreInterrupts(wereEnabled);
            return thread;
        }

        [UnmanagedCallersOnly(EntryPoint = "osv_thread_start")]
        [InternalEntryPoint("Boot/context_switch.asm")]
        [KernelThreadOnly] // a new kernel thread's first frame, on its own populated stack
        [RequiresInterruptsDisabled] // entered from a context switch, which runs with interrupts off
        private static void ThreadStart(void* pointer)
        {
            KernelThread thread = KernelThread.FromPointer(pointer);
            ReapZombies();
            Cpu.EnableInterrupts();
            thread.Entry(thread.Argument);
            Exit();
        }

        /// <summary>Gives the CPU to the next runnable thread, if any.</summary>
        [MaySleep]
        public static void Yield()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            if (!s_runQueue.IsEmpty)
            {
                s_current.State = ThreadState.Runnable;
                s_runQueue.Add(s_current);
                Reschedule();
            }
            Cpu.RestoreInterrupts(wereEnabled);
        }

        /// <summary>Sleeps at least <paramref name="nanoseconds"/>.</summary>
        [MaySleep]
        public static void Sleep(ulong nanoseconds)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            if (KernelTimers.Arm(s_current.SleepTimer, nanoseconds, 0))
                Block();
            Cpu.RestoreInterrupts(wereEnabled);
        }

        /// <summary>
        /// Waits for <paramref name="thread"/> to exit, then frees its stacks and control block (join a
        /// thread once). Joining the running thread itself returns at once instead of waiting forever.
        /// </summary>
        [MaySleep]
        public static void Join(KernelThread thread)
        {
            if (thread == s_current)
                return;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            while (thread.State != ThreadState.Dead)
            {
                thread.Joiner = s_current;
                Block();
            }
            Cpu.RestoreInterrupts(wereEnabled);
            Release(thread);
        }

        /// <summary>The thread frees itself when it exits.</summary>
        public static void Detach(KernelThread thread)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            if (thread.State == ThreadState.Dead)
            {
                Cpu.RestoreInterrupts(wereEnabled);
                Release(thread);
                return;
            }
            thread.Detached = true;
            Cpu.RestoreInterrupts(wereEnabled);
        }

        /// <summary>Ends the running thread (its entry returned).</summary>
        public static void Exit()
        {
            Stack.PrefaultNextPageIfPreemptible();
            Cpu.DisableInterrupts();
            KernelThread self = s_current;
            self.State = ThreadState.Dead;
            s_liveThreads--;
            if (self.Joiner != null)
                Wake(self.Joiner);
            if (self.Detached)
            {
                self.Next = s_zombies;
                s_zombies = self;
            }
            Reschedule(); // never comes back: nobody switches to a dead thread
            Cpu.HaltForever();
        }

        /// <summary>Makes a blocked thread runnable (any context, interrupts off).</summary>
        [RequiresInterruptsDisabled]
        public static void Wake(KernelThread thread)
        {
            if (thread.State != ThreadState.Blocked)
                return;
            thread.State = ThreadState.Runnable;
            s_runQueue.Add(thread);
        }

        /// <summary>Blocks the running thread until <see cref="Wake"/>.</summary>
        [RequiresInterruptsDisabled]
        public static void Block()
        {
            s_current.State = ThreadState.Blocked;
            Reschedule();
        }

        /// <summary>Switches to the next runnable thread; halts while there is none.</summary>
        [RequiresInterruptsDisabled]
        private static void Reschedule()
        {
            s_inScheduler = true;
            KernelThread? next = s_runQueue.Take();
            while (next == null)
            {
                // Nothing to run: wait for an interrupt (a timer or another CPU) to make a thread runnable.
                Cpu.EnableInterruptsAndHalt();
                Stack.PrefaultNextPage();
                Cpu.DisableInterrupts();
                next = s_runQueue.Take();
            }
            s_inScheduler = false;
            s_needReschedule = false;
            LazyStacks.RefillIfLow(); // never inside a fault: the page allocator is idle here
            KernelThread previous = s_current;
            next.State = ThreadState.Running;
            if (next == previous)
                return;
            s_current = next;
            if (next.Stacks.Base != 0)
                ContextSwitch.UseThreadStacks(next.Stacks.ExceptionStackTop, next.Stacks.InterruptStackTop);
            else
                ContextSwitch.UseThreadStacks(ContextSwitch.BootExceptionStackTop, ContextSwitch.BootInterruptStackTop);
            ulong* save = (ulong*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref previous.SavedStackPointer);
            ContextSwitch.Switch(save, next.SavedStackPointer);
            ReapZombies();
        }

        /// <summary>Frees detached threads that exited (never the running one: it cannot be a zombie).</summary>
        [RequiresInterruptsDisabled]
        private static void ReapZombies()
        {
            while (s_zombies != null)
            {
                KernelThread zombie = s_zombies;
                s_zombies = zombie.Next;
                Release(zombie);
            }
        }

        private static void Release(KernelThread thread)
        {

            thread.Stacks.Free(s_pages);
            NativeMemory.Free(thread.SleepTimer);
            Osv.Runtime.ObjectMemory.Free(thread);
        }

        /// <summary>Rule 5's test: with one CPU, preemption is off exactly when interrupts are.</summary>
        private static int CanFault() => Cpu.InterruptsEnabled ? 1 : 0;

        [RequiresInterruptsDisabled]
        private static void OnTick(TimerEntry* timer) => s_needReschedule = true;

        [RequiresInterruptsDisabled]
        private static void OnSleepTimer(TimerEntry* timer) => Wake(KernelThread.FromPointer(timer->State));

        /// <summary>End of the timer interrupt: switch if the slice is over and someone else can run.</summary>
        [RequiresInterruptsDisabled]
        private static void PreemptIfNeeded()
        {
            if (!s_needReschedule || s_inScheduler || s_runQueue.IsEmpty)
                return;
            s_current.State = ThreadState.Runnable;
            s_runQueue.Add(s_current);
            Reschedule();
        }
    }
}
