using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Arch.X64.Memory;
using Osv.Arch.X64.Smp;
using Osv.Core.Memory;
using Osv.Core.Time;

namespace Osv.Core.Threads
{
    /// <summary>
    /// The SMP scheduler. Each CPU has a FIFO run queue under a spin lock and runs its threads
    /// round-robin, preempting at the end of a 10 ms slice when another thread waits (policy in
    /// docs/architecture.md). A CPU with nothing to run steals an unpinned thread from the busiest
    /// CPU, or halts in its idle thread until an interrupt (its tick, or a wake IPI) brings work.
    /// <para>
    /// Switch protocol: the outgoing thread takes its CPU's queue lock, decides its own fate
    /// (requeued, blocked, exiting, migrating), and switches with the lock held; whatever runs next on
    /// that CPU releases it in <see cref="FinishSwitch"/>. So a thread is never visible to another CPU
    /// (woken, stolen, freed) while its stack is still in use.
    /// </para>
    /// </summary>
    public static unsafe class Scheduler
    {
        public const ulong TimeSlice = 10000000; // 10 ms

        private static PageSource s_pages;
        private static CpuScheduler[] s_cpus = null!;
        private static int s_cpuCount;
        private static int s_nextId;
        private static int s_liveThreads;
        private const int PinnedByScheduler = -2; // CPU 0's idle thread: chosen by the scheduler itself, never queued
        private static long s_idleMask;
        private static SpinLock s_zombieLock;
        private static KernelThread? s_zombies;

        /// <summary>The running thread (null before <see cref="Initialize"/>).</summary>
        public static KernelThread Current => KernelThread.FromPointer(CpuLocal.CurrentThreadPointer);

        /// <summary>The running thread's id; 0 (the boot thread) before the scheduler starts.</summary>
        public static int CurrentId => CpuLocal.CurrentThreadPointer == null ? 0 : Current.Id;

        /// <summary>Threads not yet freed (running, runnable, blocked, or exited but not joined or reaped), idle threads included.</summary>
        public static int LiveThreads => Volatile.Read(ref s_liveThreads);

        /// <summary>CPUs running the scheduler.</summary>
        public static int CpuCount => Volatile.Read(ref s_cpuCount);

        /// <summary>
        /// Adopts the running boot code as thread 0 (pinned to CPU 0), prepares the per-CPU state of up
        /// to <paramref name="cpuCount"/> CPUs (allocated here: a starting CPU runs with interrupts off
        /// and must not allocate) and starts CPU 0's tick.
        /// </summary>
        [KernelThreadOnly]
        public static bool Initialize(PageSource pages, int cpuCount)
        {
            s_pages = pages;
            LazyStacks.Initialize(pages);
            if (cpuCount < 1)
                cpuCount = 1;
            s_cpus = new CpuScheduler[cpuCount];
            KernelThread? boot = NewControlBlock(null, null); // first: it is thread 0
            if (boot == null)
                return false;
            boot.PinnedCpu = 0; // it runs on CPU 0's own exception and interrupt stacks
            for (int index = 0; index < cpuCount; index++)
            {
                CpuScheduler cpu = new CpuScheduler(index);
                cpu.Tick = (TimerEntry*)NativeMemory.AllocZeroed((nuint)sizeof(TimerEntry));
                KernelThread? idle = index == 0 ? Create(&IdleThreadMain, null, 0, PinnedByScheduler) : NewControlBlock(null, null);
                if (cpu.Tick == null || idle == null)
                    return false;
                *cpu.Tick = new TimerEntry(&OnTick, null);
                cpu.Idle = idle;
                idle.PinnedCpu = index;
                s_cpus[index] = cpu;
            }
            Stack.PreemptibleProbe = &CanFault;
            KernelTimers.AfterInterrupt = &PreemptIfNeeded;
            InterprocessorInterrupts.AfterWake = &PreemptIfNeeded;
            SecondaryCpus.SchedulerEntry = &SecondaryCpuMain;
            Stack.PrefaultNextPage();
            Cpu.DisableInterrupts();
            bool ticking = StartThisCpu(boot);
            Cpu.EnableInterrupts();
            return ticking;
        }

        /// <summary>Makes the calling CPU's prepared state live, with <paramref name="running"/> as its current thread.</summary>
        [RequiresInterruptsDisabled]
        private static bool StartThisCpu(KernelThread running)
        {
            int index = CpuLocal.Current->Index;
            if (index >= s_cpus.Length)
                return false;
            CpuScheduler cpu = s_cpus[index];
            cpu.Current = running;
            running.Cpu = index;
            running.State = ThreadState.Running;
            cpu.Idle.Cpu = index;
            cpu.ExceptionStackTop = ContextSwitch.CurrentExceptionStackTop;
            cpu.InterruptStackTop = ContextSwitch.CurrentInterruptStackTop;
            cpu.TableGeneration = KernelPageTables.Generation;
            cpu.DefaultThreadPointer = Cpu.ReadMsr(Cpu.MsrFsBase);
            cpu.LoadedThreadPointer = cpu.DefaultThreadPointer;
            CpuLocal.Current->CurrentThread = running.AsPointer();
            Interlocked.Increment(ref s_liveThreads);
            bool ticking = KernelTimers.Arm(cpu.Tick, TimeSlice, TimeSlice);
            Interlocked.Increment(ref s_cpuCount); // last: the boot CPU waits for this, and the arm may allocate
            return ticking;
        }

        /// <summary>A secondary CPU, set up by Osv.Arch.X64: its boot context becomes its idle thread.</summary>
        [KernelThreadOnly] // the CPU's own stack, populated up front
        [RequiresInterruptsDisabled]
        private static void SecondaryCpuMain()
        {
            int index = CpuLocal.Current->Index;
            if (index < s_cpus.Length && StartThisCpu(s_cpus[index].Idle))
                IdleLoop();
            Console.KernelConsole.WriteLine("warning: a CPU could not join the scheduler");
        }

        [KernelThreadOnly]
        private static void IdleThreadMain(void* unused) => IdleLoop();

        /// <summary>Runs queued or stolen threads; halts when there are none.</summary>
        [KernelThreadOnly] // idle threads run on populated stacks
        private static void IdleLoop()
        {
            while (true)
            {
                Cpu.DisableInterrupts();
                CpuScheduler cpu = ThisCpu;
                long bit = 1L << cpu.Index;
                // Advertise idleness before looking for work: a thread queued elsewhere after the
                // look is then either seen by it or followed by a wake IPI to this CPU.
                Interlocked.Or(ref s_idleMask, bit);
                Volatile.Write(ref cpu.IsIdle, 1);
                KernelThread? stolen = Volatile.Read(ref cpu.Queued) == 0 ? StealFor(cpu, 1) : null;
                cpu.Lock.LockWithInterruptsOff();
                if (stolen != null)
                    AddLocked(cpu, stolen);
                if (!cpu.RunQueue.IsEmpty)
                {
                    Volatile.Write(ref cpu.IsIdle, 0);
                    Interlocked.And(ref s_idleMask, ~bit);
                    cpu.Idle.State = ThreadState.Runnable; // never queued: chosen when nothing else is
                    Reschedule(cpu);
                    continue;
                }
                cpu.Lock.UnlockWithInterruptsOff();
                Cpu.EnableInterruptsAndHalt();
                Volatile.Write(ref cpu.IsIdle, 0);
                Interlocked.And(ref s_idleMask, ~bit);
                Interlocked.Increment(ref cpu.QuiescentStates);
                ReapZombies();
            }
        }

        /// <summary>Creates a runnable kernel thread (populated stack); null when memory runs out.</summary>
        public static KernelThread? Create(delegate*<void*, void> entry, void* argument) => Create(entry, argument, 0, -1);

        /// <summary>
        /// Creates a runnable thread; with <paramref name="lazyStackSize"/> its stack is reserved, not
        /// populated (application threads): pages appear on first touch. Null when memory runs out.
        /// </summary>
        public static KernelThread? Create(delegate*<void*, void> entry, void* argument, ulong lazyStackSize) => Create(entry, argument, lazyStackSize, -1);

        /// <summary>
        /// Creates a runnable thread that runs only on CPU <paramref name="pinnedCpu"/> (-1: any CPU,
        /// queued on this one, where idle or less busy CPUs may steal it). Null when memory runs out or
        /// the CPU does not exist.
        /// </summary>
        public static KernelThread? Create(delegate*<void*, void> entry, void* argument, ulong lazyStackSize, int pinnedCpu)
        {
            ReapZombies();
            if (pinnedCpu >= CpuCount)
                return null;
            if (!ThreadStacks.TryAllocate(s_pages, lazyStackSize, out ThreadStacks stacks))
                return null;
            KernelThread? thread = NewControlBlock(entry, argument);
            if (thread == null)
            {
                stacks.Free(s_pages);
                return null;
            }
            thread.Stacks = stacks;
            thread.SavedStackPointer = ContextSwitch.PrepareNewThread(stacks.StackTop, thread.AsPointer());
            Interlocked.Increment(ref s_liveThreads);
            if (pinnedCpu == PinnedByScheduler)
                return thread;
            thread.PinnedCpu = pinnedCpu;
            thread.State = ThreadState.Runnable;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            Enqueue(thread, pinnedCpu >= 0 ? pinnedCpu : CpuLocal.Current->Index);
            Cpu.RestoreInterrupts(wereEnabled);
            return thread;
        }

        /// <summary>A control block with its sleep timer (counted as live once it can run); null when memory runs out.</summary>
        private static KernelThread? NewControlBlock(delegate*<void*, void> entry, void* argument)
        {
            TimerEntry* sleepTimer = (TimerEntry*)NativeMemory.AllocZeroed((nuint)sizeof(TimerEntry));
            if (sleepTimer == null)
                return null;
            KernelThread thread = new KernelThread();
            thread.Entry = entry;
            thread.Argument = argument;
            thread.SleepTimer = sleepTimer;
            *sleepTimer = new TimerEntry(&OnSleepTimer, thread.AsPointer());
            thread.Id = Interlocked.Increment(ref s_nextId) - 1;
            return thread;
        }

        [UnmanagedCallersOnly(EntryPoint = "osv_thread_start")]
        [InternalEntryPoint("Boot/context_switch.asm")]
        [KernelThreadOnly] // a new thread's first frame, on its own populated stack
        [RequiresInterruptsDisabled] // entered from a context switch, which runs with interrupts off
        private static void ThreadStart(void* pointer)
        {
            KernelThread thread = KernelThread.FromPointer(pointer);
            FinishSwitch();
            Cpu.EnableInterrupts();
            thread.Entry(thread.Argument);
            Exit();
        }

        /// <summary>Gives the CPU to the next runnable thread of this CPU, if any.</summary>
        [MaySleep]
        public static void Yield()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            CpuScheduler cpu = ThisCpu;
            cpu.Lock.LockWithInterruptsOff();
            if (cpu.RunQueue.IsEmpty)
                cpu.Lock.UnlockWithInterruptsOff();
            else
                RequeueAndReschedule(cpu);
            Cpu.RestoreInterrupts(wereEnabled);
        }

        /// <summary>Sleeps at least <paramref name="nanoseconds"/>.</summary>
        [MaySleep]
        public static void Sleep(ulong nanoseconds)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            // The timer is armed on this CPU, which cannot take its interrupt before the switch away.
            if (KernelTimers.Arm(Current.SleepTimer, nanoseconds, 0))
                Block();
            Cpu.RestoreInterrupts(wereEnabled);
        }

        /// <summary>
        /// Moves the running thread to CPU <paramref name="cpuIndex"/> and keeps it there (-1: any CPU
        /// again, staying where it is for now). False if there is no such CPU.
        /// </summary>
        [MaySleep]
        public static bool PinCurrent(int cpuIndex)
        {
            if (cpuIndex < -1 || cpuIndex >= CpuCount)
                return false;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            KernelThread self = Current;
            CpuScheduler cpu = ThisCpu;
            self.PinnedCpu = cpuIndex;
            if (cpuIndex >= 0 && cpuIndex != cpu.Index)
            {
                cpu.Lock.LockWithInterruptsOff();
                self.State = ThreadState.Runnable;
                self.Cpu = cpuIndex;
                cpu.Migrating = self; // queued on the target by whatever runs here next
                Reschedule(cpu);
            }
            Cpu.RestoreInterrupts(wereEnabled);
            return true;
        }

        /// <summary>
        /// Waits for <paramref name="thread"/> to exit, then frees its stacks and control block (join a
        /// thread once). Joining the running thread itself returns at once instead of waiting forever.
        /// </summary>
        [MaySleep]
        public static void Join(KernelThread thread)
        {
            if (thread == Current)
                return;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = thread.LifeLock.Lock();
            while (thread.State != ThreadState.Dead)
            {
                thread.Joiner = Current;
                BlockAndUnlock(ref thread.LifeLock);
                thread.LifeLock.LockWithInterruptsOff();
            }
            thread.LifeLock.Unlock(wereEnabled);
            Release(thread);
            ReapZombies();
        }

        /// <summary>The thread frees itself when it exits.</summary>
        public static void Detach(KernelThread thread)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = thread.LifeLock.Lock();
            bool dead = thread.State == ThreadState.Dead;
            thread.Detached = true;
            thread.LifeLock.Unlock(wereEnabled);
            if (dead)
                Release(thread);
        }

        /// <summary>Ends the running thread (its entry returned).</summary>
        public static void Exit()
        {
            Stack.PrefaultNextPageIfPreemptible();
            Cpu.DisableInterrupts();
            CpuScheduler cpu = ThisCpu;
            KernelThread self = cpu.Current;
            cpu.Lock.LockWithInterruptsOff();
            self.State = ThreadState.Exiting;
            cpu.Exiting = self;
            Reschedule(cpu); // never comes back: nobody switches to an exiting thread
            Cpu.HaltForever();
        }

        /// <summary>Makes a blocked thread runnable (any context, any CPU, interrupts off). False if it was not blocked.</summary>
        [RequiresInterruptsDisabled]
        public static bool Wake(KernelThread thread)
        {
            CpuScheduler cpu = LockHomeCpu(thread);
            if (thread.State != ThreadState.Blocked)
            {
                cpu.Lock.UnlockWithInterruptsOff();
                return false;
            }
            thread.State = ThreadState.Runnable;
            AddLocked(cpu, thread);
            bool idle = cpu.Current == cpu.Idle;
            cpu.Lock.UnlockWithInterruptsOff();
            Kick(cpu, idle);
            return true;
        }

        /// <summary>Blocks the running thread until <see cref="Wake"/> (who wakes it must see it blocked: see <see cref="BlockAndUnlock"/>).</summary>
        [RequiresInterruptsDisabled]
        public static void Block()
        {
            CpuScheduler cpu = ThisCpu;
            cpu.Lock.LockWithInterruptsOff();
            cpu.Current.State = ThreadState.Blocked;
            Reschedule(cpu);
        }

        /// <summary>
        /// Blocks the running thread and releases <paramref name="condition"/>, the lock a waker takes
        /// before calling <see cref="Wake"/>: the thread is marked blocked before the lock is released,
        /// so a wake-up cannot slip in between. Returns with interrupts still off and the lock free.
        /// </summary>
        [RequiresInterruptsDisabled]
        public static void BlockAndUnlock(ref SpinLock condition)
        {
            CpuScheduler cpu = ThisCpu;
            cpu.Lock.LockWithInterruptsOff();
            cpu.Current.State = ThreadState.Blocked;
            condition.UnlockWithInterruptsOff();
            Reschedule(cpu);
        }

        /// <summary>
        /// Gives the running thread its own %fs base (an application thread's TLS block: %fs:0 its self
        /// pointer, %fs:0x28 the canary), kept across switches and migrations; 0 returns to the CPU's block.
        /// </summary>
        public static void SetThreadPointer(ulong threadPointer)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            CpuScheduler cpu = ThisCpu;
            cpu.Current.ThreadPointer = threadPointer;
            LoadThreadPointer(cpu, threadPointer);
            Cpu.RestoreInterrupts(wereEnabled);
        }

        /// <summary>Disables preemption of the running thread (nests). Interrupts stay on.</summary>
        [DisablesPreemption]
        public static void DisablePreemption()
        {
            LazyStackInvariant.VerifyBeforeDisable();
            Current.PreemptionDisabled++;
        }

        /// <summary>Ends a <see cref="DisablePreemption"/>; the outermost one lets a pending preemption happen now.</summary>
        [EnablesPreemption]
        public static void EnablePreemption()
        {
            KernelThread self = Current;
            if (--self.PreemptionDisabled != 0 || !Cpu.InterruptsEnabled)
                return;
            Stack.PrefaultNextPage();
            Cpu.DisableInterrupts();
            PreemptIfNeeded();
            Cpu.EnableInterrupts();
        }

        /// <summary>Rule 5's test: a page fault may be taken here (interrupts on, preemption not disabled).</summary>
        private static int CanFault()
        {
            if (!Cpu.InterruptsEnabled)
                return 0;
            void* current = CpuLocal.CurrentThreadPointer;
            return current == null || KernelThread.FromPointer(current).PreemptionDisabled == 0 ? 1 : 0;
        }

        /// <summary>The CPU running the caller right now (it may move at the next preemption unless pinned).</summary>
        public static int CurrentCpu => CpuLocal.Current->Index;

        /// <summary>RCU's view of CPU <paramref name="index"/>: its quiescent-state count, and whether it idles.</summary>
        internal static long QuiescentStates(int index, out bool idle)
        {
            CpuScheduler cpu = s_cpus[index];
            idle = Volatile.Read(ref cpu.IsIdle) != 0;
            return Volatile.Read(ref cpu.QuiescentStates);
        }

        // ---- per-CPU machinery: everything below runs with interrupts off ----

        private static CpuScheduler ThisCpu
        {
            [RequiresInterruptsDisabled]
            get => s_cpus[CpuLocal.Current->Index];
        }

        /// <summary>Queues the running thread behind the others and switches (its CPU's lock held).</summary>
        [RequiresInterruptsDisabled]
        private static void RequeueAndReschedule(CpuScheduler cpu)
        {
            KernelThread self = cpu.Current;
            self.State = ThreadState.Runnable;
            AddLocked(cpu, self);
            Reschedule(cpu);
        }

        /// <summary>
        /// Switches to the next thread of <paramref name="cpu"/> (the idle thread if none). Entered with
        /// the CPU's lock held and the running thread's fate decided; returns, once the thread runs
        /// again (maybe on another CPU), with the lock released.
        /// </summary>
        [RequiresInterruptsDisabled]
        private static void Reschedule(CpuScheduler cpu)
        {
            KernelThread previous = cpu.Current;
            KernelThread? next = cpu.RunQueue.Take();
            if (next != null)
                cpu.Queued--;
            else
                next = cpu.Idle;
            cpu.NeedReschedule = false;
            cpu.QuiescentStates++;
            next.State = ThreadState.Running;
            if (next == previous)
            {
                cpu.Lock.UnlockWithInterruptsOff();
                return;
            }
            cpu.Current = next;
            CpuLocal.Current->CurrentThread = next.AsPointer();
            if (next.Stacks.Base != 0)
                ContextSwitch.UseThreadStacks(next.Stacks.ExceptionStackTop, next.Stacks.InterruptStackTop);
            else
                ContextSwitch.UseThreadStacks(cpu.ExceptionStackTop, cpu.InterruptStackTop);
            LoadThreadPointer(cpu, next.ThreadPointer);
            SystemCallEntry.UseStack(next.Stacks.Base != 0 ? next.Stacks.SyscallStackTop : 0);
            long generation = KernelPageTables.Generation;
            if (cpu.TableGeneration != generation)
            {
                cpu.TableGeneration = generation;
                KernelPageTables.FlushAll();
            }
            ulong* save = (ulong*)Unsafe.AsPointer(ref previous.SavedStackPointer);
            ContextSwitch.Switch(save, next.SavedStackPointer);
            FinishSwitch();
        }

        /// <summary>Points %fs at <paramref name="threadPointer"/> (0: the CPU's own block) unless it is there already.</summary>
        [RequiresInterruptsDisabled]
        private static void LoadThreadPointer(CpuScheduler cpu, ulong threadPointer)
        {
            ulong wanted = threadPointer != 0 ? threadPointer : cpu.DefaultThreadPointer;
            if (wanted == cpu.LoadedThreadPointer)
                return;
            Cpu.WriteMsr(Cpu.MsrFsBase, wanted);
            cpu.LoadedThreadPointer = wanted;
        }

        /// <summary>
        /// The incoming side of a switch, on whatever CPU the thread now runs: releases the lock the
        /// outgoing thread held and completes its exit or migration, now that its stack is free.
        /// </summary>
        [RequiresInterruptsDisabled]
        private static void FinishSwitch()
        {
            CpuScheduler cpu = ThisCpu;
            KernelThread? exited = cpu.Exiting;
            KernelThread? migrating = cpu.Migrating;
            cpu.Exiting = null;
            cpu.Migrating = null;
            cpu.Lock.UnlockWithInterruptsOff();
            LazyStacks.RefillIfLow();
            if (migrating != null)
                Enqueue(migrating, migrating.Cpu);
            if (exited != null)
                MarkDead(exited);
        }

        [RequiresInterruptsDisabled]
        private static void MarkDead(KernelThread thread)
        {
            thread.LifeLock.LockWithInterruptsOff();
            thread.State = ThreadState.Dead;
            KernelThread? joiner = thread.Joiner;
            bool detached = thread.Detached;
            thread.LifeLock.UnlockWithInterruptsOff();
            if (joiner != null)
                Wake(joiner);
            if (detached)
            {
                s_zombieLock.LockWithInterruptsOff();
                thread.Next = s_zombies;
                s_zombies = thread;
                s_zombieLock.UnlockWithInterruptsOff();
            }
        }

        /// <summary>Queues a runnable thread on CPU <paramref name="index"/> and makes sure some CPU will run it soon.</summary>
        [RequiresInterruptsDisabled]
        private static void Enqueue(KernelThread thread, int index)
        {
            CpuScheduler cpu = s_cpus[index];
            cpu.Lock.LockWithInterruptsOff();
            thread.Cpu = index;
            AddLocked(cpu, thread);
            bool idle = cpu.Current == cpu.Idle;
            cpu.Lock.UnlockWithInterruptsOff();
            Kick(cpu, idle);
        }

        [RequiresInterruptsDisabled]
        private static void AddLocked(CpuScheduler cpu, KernelThread thread)
        {
            thread.Cpu = cpu.Index;
            cpu.RunQueue.Add(thread);
            cpu.Queued++;
        }

        /// <summary>
        /// After queuing on <paramref name="target"/>: an idle target gets a wake IPI (unless it is this
        /// CPU, whose idle loop looks at its queue anyway). A busy target with more than one thread
        /// waiting gets help: an idle CPU, if any, is woken to steal. (With one waiting, the idle CPUs'
        /// own ticks find it within a slice; an IPI for every creation would cost more than it saves.)
        /// </summary>
        [RequiresInterruptsDisabled]
        private static void Kick(CpuScheduler target, bool targetIdle)
        {
            int self = CpuLocal.Current->Index;
            if (targetIdle)
            {
                if (target.Index != self)
                    InterprocessorInterrupts.SendWake(target.Index);
                return;
            }
            if (Volatile.Read(ref target.Queued) < 2)
                return;
            long idle = Volatile.Read(ref s_idleMask) & ~(1L << self);
            if (idle == 0)
                return;
            int index = 0;
            while ((idle & (1L << index)) == 0)
                index++;
            InterprocessorInterrupts.SendWake(index);
        }

        /// <summary>The lock of the CPU whose queue <paramref name="thread"/> belongs to, taken (the thread may move while we look).</summary>
        [RequiresInterruptsDisabled]
        private static CpuScheduler LockHomeCpu(KernelThread thread)
        {
            while (true)
            {
                int index = Volatile.Read(ref thread.Cpu);
                CpuScheduler cpu = s_cpus[index];
                cpu.Lock.LockWithInterruptsOff();
                if (Volatile.Read(ref thread.Cpu) == index)
                    return cpu;
                cpu.Lock.UnlockWithInterruptsOff();
            }
        }

        /// <summary>
        /// Takes an unpinned queued thread from the busiest other CPU that has at least
        /// <paramref name="minimumQueued"/> waiting; never waits for a lock (two CPUs may steal at once).
        /// </summary>
        [RequiresInterruptsDisabled]
        private static KernelThread? StealFor(CpuScheduler thief, int minimumQueued)
        {
            CpuScheduler? victim = null;
            int most = minimumQueued - 1;
            int count = CpuCount;
            for (int i = 0; i < count; i++)
            {
                CpuScheduler candidate = s_cpus[i];
                if (candidate == thief)
                    continue;
                int queued = Volatile.Read(ref candidate.Queued);
                if (queued > most)
                {
                    most = queued;
                    victim = candidate;
                }
            }
            if (victim == null || !victim.Lock.TryLockWithInterruptsOff())
                return null;
            KernelThread? stolen = victim.RunQueue.TakeUnpinned();
            if (stolen != null)
            {
                victim.Queued--;
                stolen.Cpu = thief.Index;
            }
            victim.Lock.UnlockWithInterruptsOff();
            return stolen;
        }

        /// <summary>Frees detached threads that exited (thread creation, join and idle CPUs do it too).</summary>
        public static void Reap() => ReapZombies();

        private static void ReapZombies()
        {
            if (s_zombies == null)
                return;
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = s_zombieLock.Lock();
            KernelThread? zombies = s_zombies;
            s_zombies = null;
            s_zombieLock.Unlock(wereEnabled);
            while (zombies != null)
            {
                KernelThread zombie = zombies;
                zombies = zombie.Next;
                Release(zombie);
            }
        }

        private static void Release(KernelThread thread)
        {
            thread.Stacks.Free(s_pages);
            NativeMemory.Free(thread.SleepTimer);
            Osv.Runtime.ObjectMemory.Free(thread);
            Interlocked.Decrement(ref s_liveThreads); // last: "live" until its memory is back, so a count at its baseline means nothing is pending
        }

        [RequiresInterruptsDisabled]
        private static void OnTick(TimerEntry* timer)
        {
            CpuScheduler cpu = ThisCpu;
            cpu.NeedReschedule = true;
            if (cpu.Current.PreemptionDisabled == 0)
                cpu.QuiescentStates++; // the interrupted code is outside any RCU read section
        }

        [RequiresInterruptsDisabled]
        private static void OnSleepTimer(TimerEntry* timer) => Wake(KernelThread.FromPointer(timer->State));

        /// <summary>
        /// End of a timer or wake interrupt: switch if the slice is over and another thread waits. A busy
        /// CPU with nothing queued first pulls a thread from a CPU that has two or more waiting, so
        /// queues even out even when no CPU idles.
        /// </summary>
        [RequiresInterruptsDisabled]
        private static void PreemptIfNeeded()
        {
            CpuScheduler cpu = ThisCpu;
            KernelThread current = cpu.Current;
            if (current == cpu.Idle || current.PreemptionDisabled != 0 || !cpu.NeedReschedule)
                return; // the idle loop looks at the queue itself once the halt ends
            KernelThread? pulled = Volatile.Read(ref cpu.Queued) == 0 ? StealFor(cpu, 2) : null;
            cpu.Lock.LockWithInterruptsOff();
            if (pulled != null)
                AddLocked(cpu, pulled);
            if (cpu.RunQueue.IsEmpty)
            {
                cpu.NeedReschedule = false;
                cpu.Lock.UnlockWithInterruptsOff();
                return;
            }
            RequeueAndReschedule(cpu);
        }
    }
}
