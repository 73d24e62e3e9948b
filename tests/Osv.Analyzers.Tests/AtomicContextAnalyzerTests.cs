using System.Threading.Tasks;
using Xunit;
using Verifier = Osv.Analyzers.Tests.AnalyzerVerifier<Osv.Analyzers.Rules.AtomicContextAnalyzer>;

namespace Osv.Analyzers.Tests;

/// <summary>Rule 3 (OSV3001, OSV3002): nothing sleeps and nothing allocates behind the reader's back while disabled.</summary>
public sealed class AtomicContextAnalyzerTests
{
    private const string Usings = "using System; using System.Collections.Generic; using Kernel; using Osv.Annotations;\n";

    private static Task Verify(string source) => KernelPrelude.VerifyWithPrelude<Rules.AtomicContextAnalyzer>(Usings + source);

    private static Task VerifyAgainstMetadata(string source) => KernelPrelude.VerifyAgainstImage<Rules.AtomicContextAnalyzer>(Usings + source);

    [Fact]
    public Task KernelLikeSampleIsClean() => Verify(KernelSample.Clean);

    [Fact]
    public Task PrimitivesThemselvesAreClean() => Verifier.VerifyAsync(Usings + KernelPrelude.Source);

    [Fact]
    public Task GeneratedCodeAndSuppressionChecks() => Verifier.VerifyAsync(Usings + """
        class C { void M(SpinLock lk) { Stack.PrefaultNextPage(); lk.Lock(); {|OSV3001:Sched.Sleep()|}; lk.Unlock(); } }
        """ + KernelPrelude.Source);

    // ---- OSV3001: [MaySleep] ----

    [Fact]
    public Task SleepInsideALockedRegion() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Sched.Sleep();
                Stack.PrefaultNextPage();
                lk.Lock();
                {|OSV3001:Sched.Sleep()|};
                lk.Unlock();
                Sched.Sleep();
            }
        }
        """);

    [Fact]
    public Task SleepWithInterruptsDisabled() => Verify("""
        class C
        {
            void A(WaitQueue q) { Stack.PrefaultNextPage(); Irq.Disable(); {|OSV3001:q.Wait()|}; Irq.Enable(); q.Wait(); }
            void B(WaitQueue q) { Stack.PrefaultNextPage(); ulong f = Irq.Save(); {|OSV3001:Sched.Yield()|}; Irq.Restore(f); }
        }
        """);

    [Fact]
    public Task SleepingConstructorAlsoAllocates() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                var q = {|OSV3001:{|OSV3002:new WaitQueue()|}|};
                lk.Unlock();
                var r = new WaitQueue();
            }
        }
        """);

    [Fact]
    public Task SleepInsideUsingGuards() => Verify("""
        class C
        {
            void A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                using (lk.Acquire()) { {|OSV3001:Sched.Sleep()|}; }
                Sched.Sleep();
            }
            void B()
            {
                Stack.PrefaultNextPage();
                using var g = new IrqGuard(true);
                {|OSV3001:Sched.Sleep()|};
            }
            void D()
            {
                Stack.PrefaultNextPage();
                using (PreemptGuard.Enter()) { {|OSV3001:Sched.Yield()|}; }
                Sched.Yield();
            }
            void E<T>(T l) where T : ILock
            {
                Stack.PrefaultNextPage();
                using (new Guard<T>(l)) { {|OSV3001:Sched.Yield()|}; }
                Sched.Yield();
            }
            void F(bool b)
            {
                Stack.PrefaultNextPage();
                if (b)
                {
                    using var g = PreemptGuard.Enter();
                    {|OSV3001:Sched.Yield()|};
                }
                Sched.Yield();
            }
        }
        """);

    [Fact]
    public Task SleepAfterTheLockOnOnlyOneBranch() => Verify("""
        class C
        {
            void M(SpinLock lk, bool locked)
            {
                Stack.PrefaultNextPage();
                if (locked) lk.Lock();
                {|OSV3001:Sched.Sleep()|};
                if (locked) lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task SleepOnTheBranchesOfARegion() => Verify("""
        class C
        {
            void M(SpinLock lk, bool b)
            {
                Stack.PrefaultNextPage();
                if (b)
                {
                    lk.Lock();
                    {|OSV3001:Sched.Sleep()|};
                    lk.Unlock();
                }
                else
                {
                    Sched.Sleep();
                }
                Sched.Sleep();
            }
        }
        """);

    [Fact]
    public Task EarlyReturnLeavesTheRegionHeld() => Verify("""
        class C
        {
            void M(SpinLock lk, bool b)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                if (b) { lk.Unlock(); return; }
                {|OSV3001:Sched.Sleep()|};
                lk.Unlock();
                Sched.Sleep();
            }
        }
        """);

    [Fact]
    public Task SleepInNestedRegions() => Verify("""
        class C
        {
            void M(SpinLock outer, SpinLock inner)
            {
                Stack.PrefaultNextPage();
                outer.Lock();
                inner.Lock();
                {|OSV3001:Sched.Sleep()|};
                inner.Unlock();
                {|OSV3001:Sched.Sleep()|};
                outer.Unlock();
                Sched.Sleep();
            }
            void N()
            {
                Stack.PrefaultNextPage();
                using (PreemptGuard.Enter())
                {
                    using (new IrqGuard(true)) { }
                    {|OSV3001:Sched.Sleep()|};
                }
                Sched.Sleep();
            }
        }
        """);

    [Fact]
    public Task NestedPreemptionCounts() => Verify("""
        class C
        {
            void M()
            {
                Stack.PrefaultNextPage();
                Preempt.Disable();
                Preempt.Disable();
                Preempt.Enable();
                {|OSV3001:Sched.Sleep()|};
                Preempt.Enable();
                Sched.Sleep();
            }
        }
        """);

    [Fact]
    public Task SleepInRequiresMembers() => Verify("""
        class C
        {
            [RequiresPreemptionDisabled] void A() { {|OSV3001:Sched.Sleep()|}; }
            [RequiresInterruptsDisabled] void B(WaitQueue q) { {|OSV3001:q.Wait()|}; }
            [RequiresInterruptsDisabled] void D() { Irq.Enable(); Sched.Sleep(); Stack.PrefaultNextPage(); Irq.Disable(); }
        }
        """);

    [Fact]
    public Task SleepWithTryAcquire() => Verify("""
        class C
        {
            void A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                if (lk.TryLock())
                {
                    {|OSV3001:Sched.Sleep()|};
                    lk.Unlock();
                }
                else
                {
                    Sched.Sleep();
                }
                Sched.Sleep();
            }
            void B(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                while (!lk.TryLock())
                    Sched.Yield();
                {|OSV3001:Sched.Sleep()|};
                lk.Unlock();
            }
            void D(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                if (!lk.TryLock()) return;
                {|OSV3001:Sched.Sleep()|};
                lk.Unlock();
            }
            void E(SpinLock lk, bool force)
            {
                Stack.PrefaultNextPage();
                if (force ? true : lk.TryLock())
                    {|OSV3001:Sched.Sleep()|};
            }
            void F(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                bool ok = lk.TryLock();
                {|OSV3001:Sched.Sleep()|};
                if (ok) lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task SleepInLoops() => Verify("""
        class C
        {
            void A(SpinLock lk, int n)
            {
                Stack.PrefaultNextPage();
                for (int i = 0; i < n; i++)
                {
                    Sched.Yield();
                    lk.Lock();
                    lk.Unlock();
                }
            }
            void B(SpinLock lk, int n)
            {
                Stack.PrefaultNextPage();
                for (int i = 0; i < n; i++)
                {
                    {|OSV3001:Sched.Yield()|};
                    lk.Lock();
                    if (i == 3) continue;
                    lk.Unlock();
                }
            }
            void D(SpinLock lk, List<int> items)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                foreach (int item in items)
                {
                    if (item == 0) { lk.Unlock(); return; }
                }
                lk.Unlock();
                Sched.Yield();
            }
        }
        """);

    [Fact]
    public Task SleepAndTryFinally() => Verify("""
        class C
        {
            void A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                try { {|OSV3001:Sched.Sleep()|}; }
                finally { lk.Unlock(); }
                Sched.Sleep();
            }
            void B(SpinLock lk, bool b)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                try { if (b) return; }
                finally { {|OSV3001:Sched.Sleep()|}; lk.Unlock(); }
                Sched.Sleep();
            }
        }
        """);

    [Fact]
    public Task LambdaBodiesRunLater() => Verify("""
        class C
        {
            Action M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                Action a = () => Sched.Sleep();
                Action b = static () => { Stack.PrefaultNextPage(); Preempt.Disable(); {|OSV3001:Sched.Sleep()|}; Preempt.Enable(); };
                lk.Unlock();
                return a + b;
            }
        }
        """);

    [Fact]
    public Task LocalFunctionsCalledInsideTheRegion() => Verify("""
        class C
        {
            void A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                Work();
                lk.Unlock();
                static void Work() { {|OSV3001:Sched.Sleep()|}; }
            }
            void B(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                lk.Unlock();
                Work();
                static void Work() { Sched.Sleep(); }
            }
        }
        """);

    [Fact]
    public Task SleepThroughInterfacesOverridesAndAccessors() => Verify("""
        interface IBlockDevice { [MaySleep] void Read(int sector); }
        sealed class Disk : IBlockDevice { public void Read(int sector) { } }
        class Pager { [MaySleep] public virtual void PageIn() { } }
        sealed class SwapPager : Pager { public override void PageIn() { } }
        static class Clock { public static long Now { [MaySleep] get => 0; } }
        class C
        {
            void M(SpinLock lk, Disk d, IBlockDevice b, SwapPager p)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                {|OSV3001:d.Read(0)|};
                {|OSV3001:b.Read(1)|};
                {|OSV3001:p.PageIn()|};
                long t = {|OSV3001:Clock.Now|};
                lk.Unlock();
                d.Read(2);
            }
        }
        """);

    [Fact]
    public Task RawPrimitivesAndWrappers() => Verify("""
        static class Preempt2
        {
            static int s_count;
            static bool s_needResched;
            [DisablesPreemption] public static void Disable() { Sched.Yield(); s_count++; }
            [EnablesPreemption] public static void Enable() { if (--s_count == 0 && s_needResched) Sched.Yield(); }
        }
        sealed class Lock2
        {
            [DisablesPreemption] public void Lock() { Preempt.Disable(); {|OSV3001:Sched.Yield()|}; }
            [EnablesPreemption] public void Unlock() { {|OSV3001:Sched.Yield()|}; Preempt.Enable(); Sched.Yield(); }
        }
        """);

    // ---- OSV3002: hidden allocations ----

    [Fact]
    public Task BoxingInARegion() => Verify("""
        struct Pid { public int Value; }
        class C
        {
            static void Log(object o) { }
            void M(SpinLock lk, int id, Pid pid)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                object o = {|OSV3002:id|};
                Log({|OSV3002:id|});
                IComparable c = {|OSV3002:42|};
                int h = {|OSV3002:pid.GetHashCode()|};
                int i = id.GetHashCode();
                lk.Unlock();
                Log(id);
            }
        }
        """);

    [Fact]
    public Task ClosuresInARegion() => Verify("""
        class C
        {
            int _count;
            static void Run(Action a) { }
            void M(SpinLock lk, int n)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                Run({|OSV3002:() => n++|});
                Run({|OSV3002:() => _count++|});
                Func<int, int> twice = {|OSV3002:delegate (int x) { return x * n; }|};
                Run(() => Console.WriteLine());
                Run(static () => { });
                Run(StaticHelper);
                Run({|OSV3002:InstanceHelper|});
                lk.Unlock();
                Run(() => n++);
            }
            static void StaticHelper() { }
            void InstanceHelper() { }
        }
        """);

    [Fact]
    public Task LocalFunctionCaptures() => Verify("""
        class C
        {
            static void Run(Action a) { }
            void M(SpinLock lk, int n)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                Bump();
                Run({|OSV3002:Bump|});
                Run(Pure);
                lk.Unlock();
                void Bump() => n++;
                static void Pure() { }
            }
        }
        """);

    [Fact]
    public Task ParamsArrays() => Verify("""
        class C
        {
            static int Sum(params int[] values) => values.Length;
            static int Span(params ReadOnlySpan<int> values) => values.Length;
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                int a = {|OSV3002:Sum(1, 2, 3)|};
                int b = Sum();
                int c = Span(1, 2, 3);
                int d = {|OSV3002:Sum({|OSV3002:new[] { 1 }|}.Length)|};
                lk.Unlock();
                Sum(1, 2);
            }
        }
        """);

    [Fact]
    public Task StringsInARegion() => Verify("""
        class C
        {
            const string Prefix = "cpu";
            void M(SpinLock lk, int id, string name)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                string a = {|OSV3002:"cpu" + id|};
                string b = {|OSV3002:name + "/" + name|};
                string c = {|OSV3002:$"cpu{id}"|};
                {|OSV3002:name += "!"|};
                string d = Prefix + "0";
                string e = $"{Prefix}1";
                string f = name;
                lk.Unlock();
                string g = "cpu" + id + $"{id}";
            }
        }
        """);

    [Fact]
    public Task InterpolationIntoAStructHandlerDoesNotAllocate() => Verify("""
        [System.Runtime.CompilerServices.InterpolatedStringHandler]
        ref struct ConsoleHandler
        {
            public ConsoleHandler(int literalLength, int formattedCount) { }
            public void AppendLiteral(string s) { }
            public void AppendFormatted<T>(T value) { }
        }
        static class KernelConsole
        {
            public static void Write(ref ConsoleHandler h) { }
        }
        class C
        {
            void M(SpinLock lk, int id)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                KernelConsole.Write($"cpu {id}");
                System.Diagnostics.Debug.Assert(id > 0, $"bad cpu {id}");
                FormattableString f = {|OSV3002:$"cpu {id}"|};
                var pair = (id, id);
                object boxed = {|OSV3002:pair|};
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task NewAndArraysInARegion() => Verify("""
        struct Frame { public int Pc; public Frame(int pc) { Pc = pc; } }
        record Req(int Id);
        record struct Span2(int Lo, int Hi);
        class C
        {
            unsafe void M(SpinLock lk, Req r, Span2 s)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                var o = {|OSV3002:new object()|};
                var l = {|OSV3002:new List<int>()|};
                var a = {|OSV3002:new int[4]|};
                var b = {|OSV3002:new[] { 1, 2 }|};
                var anon = {|OSV3002:new { A = 1 }|};
                var r2 = {|OSV3002:r with { Id = 2 }|};
                var f = new Frame(1);
                Frame g = new(2);
                var s2 = s with { Lo = 1 };
                ReadOnlySpan<byte> table = new byte[] { 1, 2, 3 };
                Span<byte> scratch = stackalloc byte[16];
                byte* raw = stackalloc byte[16];
                lk.Unlock();
                var later = new List<int>();
            }
        }
        """);

    [Fact]
    public Task CollectionExpressionsInARegion() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                int[] a = {|OSV3002:[1, 2]|};
                List<int> b = {|OSV3002:[]|};
                IList<int> c = {|OSV3002:[]|};
                int[] d = [];
                IEnumerable<int> e = [];
                Span<int> f = [1, 2, 3];
                ReadOnlySpan<int> g = [1, 2, 3];
                lk.Unlock();
                int[] later = [1, 2];
            }
        }
        """);

    [Fact]
    public Task GenericAllocations() => Verify("""
        class C
        {
            void A<T>(SpinLock lk) where T : new()
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                T t = {|OSV3002:new T()|};
                lk.Unlock();
            }
            void B<T>(SpinLock lk, T value) where T : struct
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                T t = new T();
                object o = {|OSV3002:value|};
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task AllocationsInRequiresMembersAndGuards() => Verify("""
        class C
        {
            [RequiresPreemptionDisabled] string A(int id) => {|OSV3002:$"cpu{id}"|};
            [RequiresInterruptsDisabled] object B() => {|OSV3002:new object()|};
            void D()
            {
                Stack.PrefaultNextPage();
                using (new IrqGuard(true)) { var x = {|OSV3002:new byte[8]|}; }
                var y = new byte[8];
            }
            void E(SpinLock lk, bool b)
            {
                Stack.PrefaultNextPage();
                if (b) lk.Lock();
                var x = {|OSV3002:new object()|};
                if (b) lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task UsingAStructGuardDoesNotBox() => Verify("""
        class C
        {
            void M(TicketLock t)
            {
                Stack.PrefaultNextPage();
                using (new IrqGuard(true))
                {
                    using (var g = new Guard<TicketLock>(t)) { }
                }
                foreach (var x in new List<int>()) { }
            }
        }
        """);

    [Fact]
    public Task NothingIsReportedOutsideRegions() => Verify("""
        class C
        {
            static int Sum(params int[] v) => 0;
            void M(int id, WaitQueue q)
            {
                object o = id;
                Action a = () => id++;
                string s = "cpu" + id + $"{id}";
                int[] arr = [1, 2];
                var l = new List<int>();
                Sum(1, 2);
                q.Wait();
                Sched.Sleep();
            }
        }
        """);

    [Fact]
    public Task PanicPathsMayAllocate() => Verify("""
        static class Panic
        {
            [System.Diagnostics.CodeAnalysis.DoesNotReturn]
            public static void Fail(string message) => throw new InvalidOperationException(message);
        }
        class C
        {
            int M(SpinLock lk, int id, int[] table)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                if (id < 0) throw new ArgumentOutOfRangeException(nameof(id), $"bad id {id}");
                if (id >= table.Length) Panic.Fail("cpu " + id);
                int v = table[id] > 0 ? table[id] : throw new InvalidOperationException();
                string s = {|OSV3002:"cpu " + id|};
                lk.Unlock();
                return v;
            }
        }
        """);

    [Fact]
    public Task MoreControlFlowShapes() => Verify("""
        using static Osv.Annotations.Stack;
        class C
        {
            int A(SpinLock lk, int mode) => mode switch
            {
                0 => 0,
                _ => B(lk, mode),
            };
            int B(SpinLock lk, int mode)
            {
                PrefaultNextPage();
                lk.Lock();
                if (mode > 3) goto done;
                {|OSV3001:Sched.Yield()|};
            done:
                lk.Unlock();
                Sched.Yield();
                return mode;
            }
            void D(SpinLock a, SpinLock b, bool c)
            {
                PrefaultNextPage();
                a.Lock();
                try
                {
                    b.Lock();
                    try { if (c) return; {|OSV3001:Sched.Yield()|}; }
                    finally { b.Unlock(); }
                    {|OSV3001:Sched.Yield()|};
                }
                finally { a.Unlock(); }
                Sched.Yield();
            }
            void E(object o, SpinLock lk)
            {
                lock (o) { Sched.Yield(); }
                PrefaultNextPage();
                using (lk.Acquire())
                {
                    lock (o) { {|OSV3001:Sched.Yield()|}; }
                }
            }
        }
        """);

    // ---- across assemblies ----

    [Fact]
    public Task AtomicContextAcrossAssemblies() => VerifyAgainstMetadata("""
        class C
        {
            void A(SpinLock lk, WaitQueue q)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                {|OSV3001:q.Wait()|};
                {|OSV3001:Sched.Sleep()|};
                var x = {|OSV3002:new object()|};
                lk.Unlock();
                q.Wait();
            }
            void B(TicketLock t)
            {
                Stack.PrefaultNextPage();
                using (new Guard<TicketLock>(t)) { {|OSV3001:Sched.Yield()|}; }
                using (PreemptGuard.Enter()) { {|OSV3001:Sched.Yield()|}; }
                Sched.Yield();
            }
            [RequiresInterruptsDisabled] void D() { {|OSV3001:Sched.Sleep()|}; }
        }
        """);
}
