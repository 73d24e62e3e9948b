namespace Osv.Analyzers.Tests;

/// <summary>
/// A slice of kernel-like code that follows every rule (run queue, timers, semaphore, RCU, syscalls,
/// a kernel thread): every rule analyzer must find nothing in it.
/// </summary>
public static class KernelSample
{
    public const string Clean = """
        namespace Sample
        {
            using System;
            using Kernel;
            using Osv.Annotations;

            public sealed class Thread
            {
                public int Id;
                public Thread? Next;
            }

            public sealed class RunQueue
            {
                private readonly SpinLock _lock = new SpinLock();
                private Thread? _head;
                private int _count;

                public void Enqueue(Thread t)
                {
                    Stack.PrefaultNextPageIfPreemptible();
                    using (_lock.Acquire())
                    {
                        t.Next = _head;
                        _head = t;
                        _count++;
                    }
                }

                public Thread? TryDequeue()
                {
                    Stack.PrefaultNextPageIfPreemptible();
                    _lock.Lock();
                    try
                    {
                        Thread? t = _head;
                        if (t == null)
                            return null;
                        _head = t.Next;
                        _count--;
                        return t;
                    }
                    finally
                    {
                        _lock.Unlock();
                    }
                }

                [RequiresPreemptionDisabled]
                public int CountLocked() => _count;

                public int Count()
                {
                    Stack.PrefaultNextPage();
                    Preempt.Disable();
                    int n = CountLocked();
                    Preempt.Enable();
                    return n;
                }

                /// <summary>Moves up to <paramref name="max"/> threads to another queue, both locks held.</summary>
                public int StealInto(RunQueue other, int max)
                {
                    int moved = 0;
                    Stack.PrefaultNextPage();
                    using (_lock.Acquire())
                    using (other._lock.Acquire())
                    {
                        while (moved < max && _head != null)
                        {
                            Thread t = _head;
                            _head = t.Next;
                            t.Next = other._head;
                            other._head = t;
                            moved++;
                        }
                        _count -= moved;
                        other._count += moved;
                    }
                    return moved;
                }
            }

            public static class Timers
            {
                private static readonly SpinLock s_lock = new SpinLock();
                private static readonly long[] s_deadlines = new long[64];

                /// <summary>The timer interrupt: an interrupt stack, interrupts off.</summary>
                [PopulatedStack, RequiresInterruptsDisabled]
                public static void OnTick(long now)
                {
                    s_lock.Lock();
                    for (int i = 0; i < s_deadlines.Length; i++)
                    {
                        if (s_deadlines[i] <= now)
                            s_deadlines[i] = long.MaxValue;
                    }
                    s_lock.Unlock();
                    Apic.Eoi();
                }

                public static bool Arm(int slot, long deadline)
                {
                    if ((uint)slot >= (uint)s_deadlines.Length)
                        return false;
                    Stack.PrefaultNextPage();
                    ulong flags = Irq.Save();
                    bool armed;
                    if (s_lock.TryLock())
                    {
                        s_deadlines[slot] = deadline;
                        s_lock.Unlock();
                        armed = true;
                    }
                    else
                    {
                        armed = false;
                    }
                    Irq.Restore(flags);
                    return armed;
                }
            }

            public sealed class Semaphore
            {
                private readonly SpinLock _lock = new SpinLock();
                private readonly WaitQueue _waiters = new WaitQueue();
                private int _count;

                [MaySleep]
                public void Wait()
                {
                    while (true)
                    {
                        Stack.PrefaultNextPage();
                        _lock.Lock();
                        if (_count > 0)
                        {
                            _count--;
                            _lock.Unlock();
                            return;
                        }
                        _lock.Unlock();
                        _waiters.Wait();
                    }
                }

                public void Post()
                {
                    Stack.PrefaultNextPageIfPreemptible();
                    using (_lock.Acquire())
                        _count++;
                }

                public bool TryWait()
                {
                    Stack.PrefaultNextPage();
                    if (!_lock.TryLock())
                        return false;
                    bool taken = _count > 0;
                    if (taken)
                        _count--;
                    _lock.Unlock();
                    return taken;
                }
            }

            public static class Rcu
            {
                [DisablesPreemption] public static void ReadLock() => Preempt.Disable();
                [EnablesPreemption] public static void ReadUnlock() => Preempt.Enable();

                public static int Read(int[] table, int i)
                {
                    Stack.PrefaultNextPageIfPreemptible();
                    ReadLock();
                    int v = table[i];
                    ReadUnlock();
                    return v;
                }
            }

            [KernelThreadOnly]
            public static class Reclaimer
            {
                public static void Run(RunQueue q)
                {
                    while (q.TryDequeue() is Thread t)
                    {
                        Preempt.Disable();
                        int cpu = PerCpu.CpuId();
                        Preempt.Enable();
                        Reaper.Reap();
                        Sched.Yield();
                    }
                }
            }

            public static unsafe class Syscalls
            {
                [PopulatedStack]
                public static long Dispatch(int number, long arg)
                {
                    Traps.Dispatch();
                    using (new IrqGuard(true))
                        Apic.Eoi();
                    byte* scratch = stackalloc byte[64];
                    scratch[0] = (byte)number;
                    return number switch { 0 => arg, 1 => scratch[0], _ => -1 };
                }

                public static int Uname(byte* buffer)
                {
                    Span<byte> tmp = stackalloc byte[65];
                    Stack.PrefaultNextPage();
                    using (PreemptGuard.Enter())
                    {
                        int cpu = PerCpu.CpuId();
                        tmp[0] = (byte)cpu;
                    }
                    buffer[0] = tmp[0];
                    return tmp[0];
                }

                public static void Log(string format, params object[] args) { }

                public static void Trace(int number)
                {
                    Log("syscall {0}", number);
                    Stack.PrefaultNextPage();
                    Preempt.Disable();
                    int cpu = PerCpu.CpuId();
                    Preempt.Enable();
                    Log($"syscall {number} on cpu {cpu}");
                }
            }

            public static class Per
            {
                public static void ForEachCpu(Action<int> body)
                {
                    for (int cpu = 0; cpu < 4; cpu++)
                        body(cpu);
                }

                public static int Sum(int[] perCpu)
                {
                    int total = 0;
                    ForEachCpu(cpu => total += perCpu[cpu]);
                    Stack.PrefaultNextPage();
                    using (new IrqGuard(true))
                    {
                        foreach (int value in perCpu)
                            total += value;
                        ReadOnlySpan<byte> weights = new byte[] { 1, 2, 4, 8 };
                        total += weights[total & 3];
                    }
                    return total;
                }
            }
        }
        """;
}
