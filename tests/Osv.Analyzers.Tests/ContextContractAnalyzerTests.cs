using System.Threading.Tasks;
using Xunit;
using Verifier = Osv.Analyzers.Tests.AnalyzerVerifier<Osv.Analyzers.Rules.ContextContractAnalyzer>;

namespace Osv.Analyzers.Tests;

/// <summary>Rule 2 (OSV2001, OSV2002, OSV2003): context contracts at call sites.</summary>
public sealed class ContextContractAnalyzerTests
{
    private const string Usings = "using System; using Kernel; using Osv.Annotations;\n";

    private static Task Verify(string source) => KernelPrelude.VerifyWithPrelude<Rules.ContextContractAnalyzer>(Usings + source);

    private static Task VerifyAgainstMetadata(string source) => KernelPrelude.VerifyAgainstImage<Rules.ContextContractAnalyzer>(Usings + source);

    [Fact]
    public Task KernelLikeSampleIsClean() => Verify(KernelSample.Clean);

    [Fact]
    public Task PrimitivesThemselvesAreClean() => Verifier.VerifyAsync(Usings + KernelPrelude.Source);

    [Fact]
    public Task GeneratedCodeAndSuppressionChecks() => Verifier.VerifyAsync(Usings + """
        class C { void M() { {|OSV2001:Reaper.Reap()|}; } }
        """ + KernelPrelude.Source);

    // ---- OSV2001: [KernelThreadOnly] ----

    [Fact]
    public Task KernelThreadOnlyFromOrdinaryCode() => Verify("""
        class C
        {
            [KernelThreadOnly] static void Worker() { }
            void A() { {|OSV2001:Worker()|}; }
            void B() { {|OSV2001:Reaper.Reap()|}; }
        }
        """);

    [Fact]
    public Task KernelThreadOnlyFromKernelThreadOnlyCode() => Verify("""
        class C
        {
            [KernelThreadOnly] static void Worker() { }
            [KernelThreadOnly] void A() { Worker(); Reaper.Reap(); }
        }
        [KernelThreadOnly]
        class Daemon
        {
            void Run() { Reaper.Reap(); }
            Daemon() { Reaper.Reap(); }
            int Count { get { Reaper.Reap(); return 0; } }
            class Nested { void Run() { Reaper.Reap(); } }
        }
        [KernelThreadOnly]
        struct Slot { void Run() => Reaper.Reap(); }
        """);

    [Fact]
    public Task KernelThreadOnlyTypeMembersAndConstructors() => Verify("""
        [KernelThreadOnly]
        class Daemon
        {
            public Daemon() { }
            public static int Pending => 0;
            public void Kick() { }
        }
        class Thread
        {
            [KernelThreadOnly] public Thread() { }
        }
        class C
        {
            void M(Daemon d)
            {
                var x = {|OSV2001:new Daemon()|};
                {|OSV2001:d.Kick()|};
                int n = {|OSV2001:Daemon.Pending|};
                var t = {|OSV2001:new Thread()|};
            }
        }
        """);

    [Fact]
    public Task KernelThreadOnlyFromLambdasAndLocalFunctions() => Verify("""
        class C
        {
            [KernelThreadOnly]
            void Inside()
            {
                Action a = () => Reaper.Reap();
                Local();
                void Local() => Reaper.Reap();
            }
            void Outside()
            {
                Action a = () => {|OSV2001:Reaper.Reap()|};
                Local();
                void Local() => {|OSV2001:Reaper.Reap()|};
                Action b = [KernelThreadOnly] () => Reaper.Reap();
                [KernelThreadOnly] void Marked() => Reaper.Reap();
            }
        }
        """);

    [Fact]
    public Task ImplicitCallsAreReportedOnce() => Verify("""
        [KernelThreadOnly]
        sealed class Scope : IDisposable
        {
            public void Dispose() { }
        }
        [KernelThreadOnly]
        sealed class Zombies
        {
            public Enumerator GetEnumerator() => default;
            public struct Enumerator
            {
                public int Current => 0;
                public bool MoveNext() => false;
            }
        }
        class C
        {
            void M(Zombies z)
            {
                using ({|OSV2001:new Scope()|}) { }
                foreach ({|OSV2001:int|} t in {|OSV2001:z|}) { }
            }
        }
        """);

    [Fact]
    public Task PassingAKernelThreadOnlyMethodAsAThreadEntryIsNotACall() => Verify("""
        class C
        {
            [KernelThreadOnly] static void Main() { }
            static void Spawn(Action entry) { }
            void M() { Spawn(Main); }
        }
        """);

    [Fact]
    public Task PopulatedStackIsNotKernelThreadOnly() => Verify("""
        class C
        {
            [PopulatedStack] void M() { {|OSV2001:Reaper.Reap()|}; }
        }
        """);

    // ---- OSV2002: [PopulatedStack] ----

    [Fact]
    public Task PopulatedStackFromOrdinaryCode() => Verify("""
        class C
        {
            void A() { {|OSV2002:Traps.Dispatch()|}; }
            void B(bool b) { if (b) {|OSV2002:Traps.Dispatch()|}; }
        }
        """);

    [Fact]
    public Task PopulatedStackFromPopulatedStackOrKernelThreadOnlyCode() => Verify("""
        class C
        {
            [PopulatedStack] void A() { Traps.Dispatch(); }
            [KernelThreadOnly] void B() { Traps.Dispatch(); }
        }
        [PopulatedStack]
        static class Syscalls
        {
            static void Entry() { Traps.Dispatch(); }
            static void Nested() { Action a = () => Traps.Dispatch(); }
        }
        [KernelThreadOnly]
        sealed class Idle { void Loop() { Traps.Dispatch(); } }
        """);

    [Fact]
    public Task PopulatedStackType() => Verify("""
        [PopulatedStack]
        static class Vectors
        {
            public static void PageFault() { }
        }
        class C
        {
            void A() { {|OSV2002:Vectors.PageFault()|}; }
            [PopulatedStack] void B() { Vectors.PageFault(); }
        }
        """);

    // ---- OSV2003: [Requires...Disabled] ----

    [Fact]
    public Task RequiresPreemptionDisabledOutsideARegion() => Verify("""
        class C
        {
            int A() => {|OSV2003:PerCpu.CpuId()|};
            void B() { {|OSV2003:Apic.Eoi()|}; }
        }
        """);

    [Fact]
    public Task RequiresInsideARegion() => Verify("""
        class C
        {
            int A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                int id = PerCpu.CpuId();
                lk.Unlock();
                return id;
            }
            void B()
            {
                Stack.PrefaultNextPage();
                Irq.Disable();
                Apic.Eoi();
                Irq.Enable();
            }
            void D()
            {
                Stack.PrefaultNextPage();
                ulong f = Irq.Save();
                Apic.Eoi();
                Irq.Restore(f);
            }
        }
        """);

    [Fact]
    public Task RequiresAfterTheRegionEnded() => Verify("""
        class C
        {
            int M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                lk.Unlock();
                return {|OSV2003:PerCpu.CpuId()|};
            }
        }
        """);

    [Fact]
    public Task RequiresOfTheWrongKind() => Verify("""
        class C
        {
            void A(SpinLock lk) { Stack.PrefaultNextPage(); lk.Lock(); {|OSV2003:Apic.Eoi()|}; lk.Unlock(); }
            int B() { Stack.PrefaultNextPage(); using (new IrqGuard(true)) { return {|OSV2003:PerCpu.CpuId()|}; } }
        }
        """);

    [Fact]
    public Task RequiresFromAMemberWithTheSameRequirement() => Verify("""
        class C
        {
            [RequiresPreemptionDisabled] int A() => PerCpu.CpuId();
            [RequiresInterruptsDisabled] void B() => Apic.Eoi();
            [RequiresPreemptionDisabled, RequiresInterruptsDisabled] void D() { Apic.Eoi(); PerCpu.CpuId(); }
            [RequiresInterruptsDisabled] int E() => {|OSV2003:PerCpu.CpuId()|};
            [RequiresPreemptionDisabled] void F() => A();
        }
        """);

    [Fact]
    public Task RequiresInAMemberThatReEnables() => Verify("""
        class C
        {
            [RequiresPreemptionDisabled]
            int M()
            {
                Preempt.Enable();
                int id = {|OSV2003:PerCpu.CpuId()|};
                Stack.PrefaultNextPage();
                Preempt.Disable();
                return id + PerCpu.CpuId();
            }
        }
        """);

    [Fact]
    public Task RequiresWhereOnlyOneBranchDisabled() => Verify("""
        class C
        {
            int M(SpinLock lk, bool locked)
            {
                Stack.PrefaultNextPage();
                if (locked) lk.Lock();
                int id = {|OSV2003:PerCpu.CpuId()|};
                if (locked) lk.Unlock();
                return id;
            }
        }
        """);

    [Fact]
    public Task RequiresInsideUsingGuards() => Verify("""
        class C
        {
            int A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                using (lk.Acquire()) { return PerCpu.CpuId(); }
            }
            int B(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                using (lk.Acquire()) { }
                return {|OSV2003:PerCpu.CpuId()|};
            }
            void D()
            {
                Stack.PrefaultNextPage();
                using var g = new IrqGuard(true);
                Apic.Eoi();
            }
            int E()
            {
                Stack.PrefaultNextPage();
                using (PreemptGuard.Enter())
                {
                    using (new IrqGuard(true)) { Apic.Eoi(); }
                    {|OSV2003:Apic.Eoi()|};
                    return PerCpu.CpuId();
                }
            }
            void F<T>(T l) where T : ILock
            {
                Stack.PrefaultNextPage();
                using (new Guard<T>(l)) { PerCpu.CpuId(); }
                {|OSV2003:PerCpu.CpuId()|};
            }
        }
        """);

    [Fact]
    public Task RequiresInNestedRegions() => Verify("""
        class C
        {
            int M(SpinLock outer, SpinLock inner)
            {
                Stack.PrefaultNextPage();
                outer.Lock();
                inner.Lock();
                inner.Unlock();
                int id = PerCpu.CpuId();
                outer.Unlock();
                return id + {|OSV2003:PerCpu.CpuId()|};
            }
        }
        """);

    [Fact]
    public Task RequiresWithTryAcquire() => Verify("""
        class C
        {
            int A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                if (lk.TryLock())
                {
                    int id = PerCpu.CpuId();
                    lk.Unlock();
                    return id;
                }
                return {|OSV2003:PerCpu.CpuId()|};
            }
            int B(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                if (!lk.TryLock())
                    return {|OSV2003:PerCpu.CpuId()|};
                int id = PerCpu.CpuId();
                lk.Unlock();
                return id;
            }
            int D(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                while (!lk.TryLock()) { }
                int id = PerCpu.CpuId();
                lk.Unlock();
                return id;
            }
            int E(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                bool ok = lk.TryLock();
                int id = {|OSV2003:PerCpu.CpuId()|};
                if (ok) lk.Unlock();
                return id;
            }
        }
        """);

    [Fact]
    public Task RequiresInLoops() => Verify("""
        class C
        {
            int A(SpinLock lk, int n)
            {
                int sum = 0;
                Stack.PrefaultNextPage();
                for (int i = 0; i < n; i++)
                {
                    lk.Lock();
                    sum += PerCpu.CpuId();
                    lk.Unlock();
                    sum += {|OSV2003:PerCpu.CpuId()|};
                }
                return sum;
            }
            int B(SpinLock lk, int n)
            {
                int sum = 0;
                Stack.PrefaultNextPage();
                lk.Lock();
                while (n-- > 0)
                {
                    sum += PerCpu.CpuId();
                    if (sum > 100) { lk.Unlock(); return sum; }
                }
                sum += PerCpu.CpuId();
                lk.Unlock();
                return sum;
            }
        }
        """);

    [Fact]
    public Task RequiresWithTryFinally() => Verify("""
        class C
        {
            int A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                try { return PerCpu.CpuId(); }
                finally { lk.Unlock(); }
            }
            int B(SpinLock lk, bool b)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                try { if (b) return 0; }
                finally { lk.Unlock(); }
                return {|OSV2003:PerCpu.CpuId()|};
            }
        }
        """);

    [Fact]
    public Task PathsThroughASharedFinallyStaySeparate() => Verify("""
        class C
        {
            int _n, _stats;
            int M(SpinLock lk, bool bad)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                try
                {
                    if (bad) { lk.Unlock(); return -1; }
                    _n++;
                }
                finally { _stats++; }
                int cpu = PerCpu.CpuId();
                lk.Unlock();
                return cpu;
            }
            int N(SpinLock lk, int[] items)
            {
                Stack.PrefaultNextPage();
                int sum = 0;
                foreach (int item in items)
                {
                    lk.Lock();
                    try
                    {
                        if (item < 0) { lk.Unlock(); continue; }
                        if (item == 0) break;
                        sum += item;
                    }
                    finally { _stats++; }
                    sum += PerCpu.CpuId();
                    lk.Unlock();
                }
                return sum + {|OSV2003:PerCpu.CpuId()|};
            }
            int P(SpinLock a, SpinLock b, bool c)
            {
                Stack.PrefaultNextPage();
                a.Lock();
                try
                {
                    try
                    {
                        if (c) { a.Unlock(); return 0; }
                    }
                    finally { _stats++; }
                    _n++;
                }
                finally { _stats--; }
                int id = PerCpu.CpuId();
                a.Unlock();
                return id;
            }
        }
        """);

    [Fact]
    public Task RequiresInsideALambdaIsNotInTheRegion() => Verify("""
        class C
        {
            Func<int> M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                Func<int> f = () => {|OSV2003:PerCpu.CpuId()|};
                lk.Unlock();
                return f;
            }
        }
        """);

    [Fact]
    public Task RequiresInALocalFunctionCalledInsideTheRegion() => Verify("""
        class C
        {
            int A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                int id = Current();
                lk.Unlock();
                return id;
                int Current() => PerCpu.CpuId();
            }
            int B(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                int id = Current();
                lk.Unlock();
                return id + Current();
                int Current() => {|OSV2003:PerCpu.CpuId()|};
            }
            int D()
            {
                return {|OSV2003:Current()|};
                [RequiresPreemptionDisabled] int Current() => PerCpu.CpuId();
            }
        }
        """);

    [Fact]
    public Task RequiresGenericAndInterfaceMembers() => Verify("""
        interface IRunQueue
        {
            [RequiresPreemptionDisabled] void Enqueue(int thread);
        }
        sealed class RunQueue : IRunQueue
        {
            public void Enqueue(int thread) { }
        }
        static class Sched2
        {
            [RequiresPreemptionDisabled] public static T Current<T>() => default!;
        }
        class C
        {
            void A(RunQueue q) { {|OSV2003:q.Enqueue(1)|}; }
            void B<TQ>(TQ q) where TQ : IRunQueue { {|OSV2003:q.Enqueue(1)|}; }
            int D() => {|OSV2003:Sched2.Current<int>()|};
            void E(RunQueue q) { Stack.PrefaultNextPage(); using (PreemptGuard.Enter()) { q.Enqueue(Sched2.Current<int>()); } }
        }
        """);

    [Fact]
    public Task RequiresOnPropertyAccessors() => Verify("""
        static class Cpu2
        {
            public static int Id { [RequiresPreemptionDisabled] get => 0; }
        }
        class C
        {
            int A() => {|OSV2003:Cpu2.Id|};
            [RequiresPreemptionDisabled] int B() => Cpu2.Id;
        }
        """);

    [Fact]
    public Task ImplementationsOfEnablingMembersStartDisabled() => Verify("""
        sealed class Mutexish
        {
            int _owner;
            [EnablesPreemption] public void Unlock() { _owner = PerCpu.CpuId(); Preempt.Enable(); }
            [EnablesInterrupts] public void UnlockIrq(ulong f) { Apic.Eoi(); Irq.Restore(f); }
        }
        """);

    // ---- across assemblies ----

    [Fact]
    public Task ContractsCrossAssemblyBoundariesAsMetadata() => VerifyAgainstMetadata("""
        class C
        {
            void A() { {|OSV2001:Reaper.Reap()|}; }
            [KernelThreadOnly] void B() { Reaper.Reap(); Traps.Dispatch(); }
            void D() { {|OSV2002:Traps.Dispatch()|}; }
            int E() => {|OSV2003:PerCpu.CpuId()|};
            int F(SpinLock lk) { Stack.PrefaultNextPage(); using (lk.Acquire()) return PerCpu.CpuId(); }
            void G() { Stack.PrefaultNextPage(); using (new IrqGuard(true)) Apic.Eoi(); }
            void H(TicketLock t) { Stack.PrefaultNextPage(); t.Lock(); PerCpu.CpuId(); t.Unlock(); }
        }
        """);

    [Fact]
    public Task ContractsFromASecondCompiledAssembly()
    {
        var library = KernelPrelude.Compile("Scheduler", """
            using Osv.Annotations;
            namespace Sched
            {
                [KernelThreadOnly] public static class Balancer { public static void Run() { } }
                public static class RunQueues
                {
                    [RequiresPreemptionDisabled] public static int Local() => 0;
                    [PopulatedStack] public static void Tick() { }
                    [DisablesPreemption] public static void Pin() { }
                    [EnablesPreemption] public static void Unpin() { }
                }
            }
            """);
        var test = KernelPrelude.Fast(Verifier.CreateTest(Usings + """
            using Sched;
            class C
            {
                void A() { {|OSV2001:Balancer.Run()|}; {|OSV2002:RunQueues.Tick()|}; {|OSV2003:RunQueues.Local()|}; }
                int B() { Stack.PrefaultNextPage(); RunQueues.Pin(); int n = RunQueues.Local(); RunQueues.Unpin(); return n; }
            }
            """));
        test.TestState.AdditionalReferences.Add(library);
        test.TestState.AdditionalReferences.Add(KernelPrelude.Image);
        return test.RunAsync();
    }
}
