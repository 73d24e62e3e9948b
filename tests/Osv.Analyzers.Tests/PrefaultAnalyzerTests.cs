using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verifier = Osv.Analyzers.Tests.AnalyzerVerifier<Osv.Analyzers.Rules.PrefaultAnalyzer>;

namespace Osv.Analyzers.Tests;

/// <summary>Rule 1 (OSV1001, OSV1002, OSV1003): pre-fault the stack before disabling preemption or interrupts.</summary>
public sealed class PrefaultAnalyzerTests
{
    private const string Usings = "using System; using Kernel; using Osv.Annotations;\n";

    private static Task Verify(string source) => KernelPrelude.VerifyWithPrelude<Rules.PrefaultAnalyzer>(Usings + source);

    private static Task VerifyAgainstMetadata(string source) => KernelPrelude.VerifyAgainstImage<Rules.PrefaultAnalyzer>(Usings + source);

    [Fact]
    public Task KernelLikeSampleIsClean() => Verify(KernelSample.Clean);

    [Fact]
    public Task PrimitivesThemselvesAreClean() => Verifier.VerifyAsync(Usings + KernelPrelude.Source);

    [Fact]
    public Task GeneratedCodeAndSuppressionChecks() => Verifier.VerifyAsync(Usings + """
        class C { void M(SpinLock lk) { {|OSV1001:lk.Lock()|}; lk.Unlock(); } }
        """ + KernelPrelude.Source);

    // ---- straight-line code ----

    [Fact]
    public Task LockWithoutPrefault() => Verify("""
        class C
        {
            void M(SpinLock lk) { {|OSV1001:lk.Lock()|}; lk.Unlock(); }
        }
        """);

    [Fact]
    public Task EveryDisablingPrimitiveNeedsThePrefault() => Verify("""
        class C
        {
            void A() { {|OSV1001:Preempt.Disable()|}; Preempt.Enable(); }
            void B() { {|OSV1001:Irq.Disable()|}; Irq.Enable(); }
            void D() { ulong f = {|OSV1001:Irq.Save()|}; Irq.Restore(f); }
            void E(SpinLock lk) { if ({|OSV1001:lk.TryLock()|}) lk.Unlock(); }
            ulong F(Device d) => {|OSV1001:d.Status|};
        }
        """);

    [Fact]
    public Task PrefaultRightBefore() => Verify("""
        class C
        {
            void A(SpinLock lk) { Stack.PrefaultNextPage(); lk.Lock(); lk.Unlock(); }
            void B() { Stack.PrefaultNextPageIfPreemptible(); Irq.Disable(); Irq.Enable(); }
            void D(SpinLock lk) { Stack.PrefaultNextPage(); if (lk.TryLock()) lk.Unlock(); }
            ulong E(Device d) { Stack.PrefaultNextPage(); return d.Status; }
        }
        """);

    [Fact]
    public Task PrefaultEarlierInTheMethodStillCounts() => Verify("""
        class C
        {
            int _x;
            void M(SpinLock lk, int n)
            {
                Stack.PrefaultNextPage();
                for (int i = 0; i < n; i++)
                    _x += i;
                Helper();
                lk.Lock();
                lk.Unlock();
            }
            void Helper() { }
        }
        """);

    [Fact]
    public Task PrefaultAfterTheCallIsTooLate() => Verify("""
        class C
        {
            void M(SpinLock lk) { {|OSV1001:lk.Lock()|}; Stack.PrefaultNextPage(); lk.Unlock(); }
        }
        """);

    [Fact]
    public Task PrefaultInACalleeDoesNotCount() => Verify("""
        class C
        {
            static void Prepare() => Stack.PrefaultNextPage();
            void M(SpinLock lk) { Prepare(); {|OSV1001:lk.Lock()|}; lk.Unlock(); }
        }
        """);

    [Fact]
    public Task SecondRegionReusesThePrefault() => Verify("""
        class C
        {
            void M(SpinLock a, SpinLock b)
            {
                Stack.PrefaultNextPage();
                a.Lock(); a.Unlock();
                b.Lock(); b.Unlock();
                Irq.Disable(); Irq.Enable();
            }
        }
        """);

    [Fact]
    public Task EachCallWithoutPrefaultIsReported() => Verify("""
        class C
        {
            void M(SpinLock a, SpinLock b)
            {
                {|OSV1001:a.Lock()|}; a.Unlock();
                {|OSV1001:b.Lock()|}; b.Unlock();
            }
        }
        """);

    // ---- branches ----

    [Fact]
    public Task PrefaultOnOneBranchOnly() => Verify("""
        class C
        {
            void M(SpinLock lk, bool fast)
            {
                if (fast)
                    Stack.PrefaultNextPage();
                {|OSV1001:lk.Lock()|};
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task PrefaultOnElseBranchOnly() => Verify("""
        class C
        {
            void M(SpinLock lk, int n)
            {
                if (n > 0) { n--; }
                else { Stack.PrefaultNextPage(); }
                {|OSV1001:lk.Lock()|};
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task PrefaultOnBothBranches() => Verify("""
        class C
        {
            void M(SpinLock lk, bool fast)
            {
                if (fast) Stack.PrefaultNextPage();
                else Stack.PrefaultNextPageIfPreemptible();
                lk.Lock();
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task PrefaultAndLockInTheSameBranch() => Verify("""
        class C
        {
            void M(SpinLock lk, bool locked)
            {
                if (locked) { Stack.PrefaultNextPage(); lk.Lock(); }
                if (locked) lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task SwitchWithAMissingCase() => Verify("""
        class C
        {
            void M(SpinLock lk, int mode)
            {
                switch (mode)
                {
                    case 0: Stack.PrefaultNextPage(); break;
                    case 1: Stack.PrefaultNextPageIfPreemptible(); break;
                    case 2: break;
                    default: Stack.PrefaultNextPage(); break;
                }
                {|OSV1001:lk.Lock()|};
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task SwitchWithEveryCase() => Verify("""
        class C
        {
            void M(SpinLock lk, int mode)
            {
                switch (mode)
                {
                    case 0: Stack.PrefaultNextPage(); break;
                    case 1: return;
                    default: Stack.PrefaultNextPageIfPreemptible(); break;
                }
                lk.Lock();
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task ConditionalExpressionAndShortCircuit() => Verify("""
        class C
        {
            static bool Prefaulted() { Stack.PrefaultNextPage(); return true; }
            void A(SpinLock lk, bool b) { var ok = b && Prefaulted(); {|OSV1001:lk.Lock()|}; lk.Unlock(); }
            void D(SpinLock lk, bool b) { int x = b ? 1 : 2; Stack.PrefaultNextPage(); lk.Lock(); lk.Unlock(); }
        }
        """);

    // ---- early returns, throws ----

    [Fact]
    public Task EarlyReturnBeforeThePrefault() => Verify("""
        class C
        {
            void M(SpinLock lk, object o)
            {
                if (o == null) return;
                Stack.PrefaultNextPage();
                lk.Lock();
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task EarlyReturnOnThePathWithoutPrefault() => Verify("""
        class C
        {
            void M(SpinLock lk, bool fast)
            {
                if (fast) Stack.PrefaultNextPage();
                else return;
                lk.Lock();
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task ThrowEndsThePath() => Verify("""
        class C
        {
            void M(SpinLock lk, bool fast)
            {
                if (!fast) throw new InvalidOperationException();
                Stack.PrefaultNextPage();
                lk.Lock();
                lk.Unlock();
            }
            void N(SpinLock lk, bool fast)
            {
                if (fast) Stack.PrefaultNextPage();
                else throw new InvalidOperationException();
                lk.Lock();
                lk.Unlock();
            }
        }
        """);

    // ---- loops ----

    [Fact]
    public Task PrefaultBeforeTheLoop() => Verify("""
        class C
        {
            void M(SpinLock lk, int n)
            {
                Stack.PrefaultNextPage();
                for (int i = 0; i < n; i++) { lk.Lock(); lk.Unlock(); }
                while (n-- > 0) { lk.Lock(); lk.Unlock(); }
            }
        }
        """);

    [Fact]
    public Task PrefaultAtTheEndOfTheLoopBodyMissesTheFirstIteration() => Verify("""
        class C
        {
            void M(SpinLock lk, int n)
            {
                for (int i = 0; i < n; i++)
                {
                    {|OSV1001:lk.Lock()|};
                    lk.Unlock();
                    Stack.PrefaultNextPage();
                }
            }
        }
        """);

    [Fact]
    public Task PrefaultInsideTheLoopBody() => Verify("""
        class C
        {
            void M(SpinLock lk, int n)
            {
                do
                {
                    Stack.PrefaultNextPageIfPreemptible();
                    lk.Lock();
                    lk.Unlock();
                } while (--n > 0);
            }
        }
        """);

    [Fact]
    public Task PrefaultAfterTheLoopOnlyWhenTheLoopRan() => Verify("""
        class C
        {
            void M(SpinLock lk, int n)
            {
                for (int i = 0; i < n; i++)
                    Stack.PrefaultNextPage();
                {|OSV1001:lk.Lock()|};
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task BreakOutOfTheLoopBeforeThePrefault() => Verify("""
        class C
        {
            void M(SpinLock lk, int[] items)
            {
                foreach (int item in items)
                {
                    if (item < 0) break;
                    Stack.PrefaultNextPage();
                    lk.Lock();
                    lk.Unlock();
                }
                {|OSV1001:lk.Lock()|};
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task SpinOnTryLock() => Verify("""
        class C
        {
            void A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                while (!lk.TryLock()) { }
                lk.Unlock();
            }
            void B(SpinLock lk)
            {
                while (!{|OSV1001:lk.TryLock()|}) { }
                lk.Unlock();
            }
        }
        """);

    // ---- try / catch / finally ----

    [Fact]
    public Task PrefaultInTryLockAfter() => Verify("""
        class C
        {
            int _n;
            void M(SpinLock lk)
            {
                try { Stack.PrefaultNextPage(); _n++; }
                finally { _n--; }
                lk.Lock();
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task PrefaultInFinallyCountsOnEveryPath() => Verify("""
        class C
        {
            int _n;
            void M(SpinLock lk, bool b)
            {
                try { if (b) _n++; }
                finally { Stack.PrefaultNextPage(); }
                lk.Lock();
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task LockInTryUnlockInFinally() => Verify("""
        class C
        {
            void A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                try { } finally { lk.Unlock(); }
            }
            void B(SpinLock lk)
            {
                {|OSV1001:lk.Lock()|};
                try { } finally { lk.Unlock(); }
            }
        }
        """);

    [Fact]
    public Task CatchStartsWithTheStateBeforeTheTry() => Verify("""
        class C
        {
            int _n;
            void M(SpinLock lk)
            {
                try
                {
                    Stack.PrefaultNextPage();
                    lk.Lock();
                    _n++;
                    lk.Unlock();
                }
                catch (Exception)
                {
                    {|OSV1001:lk.Lock()|};
                    lk.Unlock();
                }
            }
        }
        """);

    [Fact]
    public Task ReturnThroughFinally() => Verify("""
        class C
        {
            int _n;
            void M(SpinLock lk, bool b)
            {
                try
                {
                    if (b) return;
                    _n++;
                }
                finally { _n--; }
                {|OSV1001:lk.Lock()|};
                lk.Unlock();
            }
        }
        """);

    // ---- using guards ----

    [Fact]
    public Task UsingGuardsWithoutPrefault() => Verify("""
        class C
        {
            void A() { using (var g = {|OSV1001:new IrqGuard(true)|}) { } }
            void B(SpinLock lk) { using var g = {|OSV1001:lk.Acquire()|}; }
            void D() { using ({|OSV1001:PreemptGuard.Enter()|}) { } }
            void E(SpinLock lk) { using ({|OSV1001:new LockGuard(lk)|}) { } }
            void F(TicketLock t) { using var g = {|OSV1001:new Guard<TicketLock>(t)|}; }
        }
        """);

    [Fact]
    public Task UsingGuardsWithPrefault() => Verify("""
        class C
        {
            void A() { Stack.PrefaultNextPage(); using (var g = new IrqGuard(true)) { } }
            void B(SpinLock lk) { Stack.PrefaultNextPage(); using var g = lk.Acquire(); }
            void D() { Stack.PrefaultNextPageIfPreemptible(); using (PreemptGuard.Enter()) { } }
            void E(SpinLock lk) { Stack.PrefaultNextPage(); using (new LockGuard(lk)) { } }
            void F(TicketLock t) { Stack.PrefaultNextPage(); using var g = new Guard<TicketLock>(t); }
        }
        """);

    [Fact]
    public Task SequentialUsingGuardsShareOnePrefault() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                using (PreemptGuard.Enter()) { }
                using (new IrqGuard(true)) { }
                using (lk.Acquire()) { }
            }
        }
        """);

    // ---- nested regions / already disabled ----

    [Fact]
    public Task NestedDisableNeedsNoSecondPrefault() => Verify("""
        class C
        {
            void A(SpinLock a, SpinLock b)
            {
                Stack.PrefaultNextPage();
                a.Lock();
                byte x = 0;
                b.Lock();
                Irq.Disable();
                Irq.Enable();
                b.Unlock();
                a.Unlock();
            }
            void B(SpinLock a)
            {
                {|OSV1001:a.Lock()|};
                using (new IrqGuard(true)) { }
                a.Unlock();
            }
        }
        """);

    [Fact]
    public Task InsideAUsingGuardNoPrefaultIsNeeded() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                using (new IrqGuard(true))
                {
                    lk.Lock();
                    lk.Unlock();
                }
            }
        }
        """);

    [Fact]
    public Task RegionOnOnlyOneBranchDoesNotExcuseTheOther() => Verify("""
        class C
        {
            void M(SpinLock a, SpinLock b, bool c)
            {
                if (c) { Stack.PrefaultNextPage(); a.Lock(); }
                {|OSV1001:b.Lock()|};
                b.Unlock();
                if (c) a.Unlock();
            }
        }
        """);

    [Fact]
    public Task RequiresDisabledMemberMayDisableMore() => Verify("""
        class C
        {
            [RequiresPreemptionDisabled] void A() { Irq.Disable(); Irq.Enable(); }
            [RequiresInterruptsDisabled] void B(SpinLock lk) { lk.Lock(); lk.Unlock(); }
        }
        """);

    [Fact]
    public Task ReEnablingInsideARequiresMemberNeedsAPrefault() => Verify("""
        class C
        {
            [RequiresPreemptionDisabled]
            void M()
            {
                Preempt.Enable();
                {|OSV1001:Preempt.Disable()|};
            }
        }
        """);

    [Fact]
    public Task AfterTheRegionEndsThePrefaultIsStillNeeded() => Verify("""
        class C
        {
            [RequiresInterruptsDisabled]
            void M(SpinLock lk)
            {
                lk.Lock();
                lk.Unlock();
                Irq.Enable();
                {|OSV1001:lk.Lock()|};
                lk.Unlock();
                {|OSV1001:Irq.Disable()|};
            }
        }
        """);

    // ---- exempt contexts ----

    [Fact]
    public Task KernelThreadOnlyAndPopulatedStackCodeIsExempt() => Verify("""
        class C
        {
            [KernelThreadOnly] void A(SpinLock lk) { lk.Lock(); lk.Unlock(); }
            [PopulatedStack] void B() { Irq.Disable(); Irq.Enable(); }
            [KernelThreadOnly] C() { Preempt.Disable(); Preempt.Enable(); }
        }
        [KernelThreadOnly]
        class Worker
        {
            void A(SpinLock lk) { lk.Lock(); lk.Unlock(); }
            class Nested { void B() { using (new IrqGuard(true)) { } } }
        }
        [PopulatedStack]
        struct TrapFrame
        {
            void A() { Irq.Disable(); Irq.Enable(); }
        }
        """);

    [Fact]
    public Task LambdaAndLocalFunctionInheritTheExemption() => Verify("""
        [KernelThreadOnly]
        class Worker
        {
            Action M(SpinLock lk)
            {
                Local();
                return () => { lk.Lock(); lk.Unlock(); };
                void Local() { lk.Lock(); lk.Unlock(); }
            }
        }
        """);

    [Fact]
    public Task ImplementationsOfDisablingMembersDoNotPrefault() => Verify("""
        class MyLock
        {
            int _held;
            [DisablesPreemption] public void Lock() { Preempt.Disable(); _held = 1; }
            [DisablesInterrupts] public ulong LockIrq() { ulong f = Irq.Save(); Preempt.Disable(); return f; }
            [DisablesPreemptionWhen(true)] public bool TryLock() { Preempt.Disable(); if (_held == 0) return true; Preempt.Enable(); return false; }
            [EnablesPreemption] public void Unlock() { _held = 0; Preempt.Enable(); }
        }
        """);

    // ---- stackalloc (OSV1002) ----

    [Fact]
    public Task StackallocBetweenPrefaultAndDisable() => Verify("""
        unsafe class C
        {
            void A(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                byte* buffer = stackalloc byte[256];
                {|OSV1002:lk.Lock()|};
                lk.Unlock();
            }
            void B()
            {
                Stack.PrefaultNextPage();
                Span<int> words = stackalloc int[64];
                {|OSV1002:Irq.Disable()|};
                Irq.Enable();
            }
        }
        """);

    [Fact]
    public Task StackallocBeforeThePrefault() => Verify("""
        unsafe class C
        {
            void M(SpinLock lk)
            {
                byte* buffer = stackalloc byte[256];
                Stack.PrefaultNextPage();
                lk.Lock();
                buffer[0] = 1;
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task StackallocOnOneBranch() => Verify("""
        unsafe class C
        {
            void M(SpinLock lk, bool big)
            {
                Stack.PrefaultNextPage();
                Span<byte> buffer = big ? stackalloc byte[1024] : default;
                {|OSV1002:lk.Lock()|};
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task StackallocInsideTheRegionDoesNotMatterForNestedDisables() => Verify("""
        unsafe class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                byte* buffer = stackalloc byte[16];
                Irq.Disable();
                Irq.Enable();
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task StackallocAfterARegionThenAnother() => Verify("""
        unsafe class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                lk.Lock();
                lk.Unlock();
                byte* buffer = stackalloc byte[16];
                {|OSV1002:lk.Lock()|};
                lk.Unlock();
                Stack.PrefaultNextPage();
                lk.Lock();
                lk.Unlock();
            }
        }
        """);

    [Fact]
    public Task StackallocInALoop() => Verify("""
        unsafe class C
        {
            void M(SpinLock lk, int n)
            {
                Stack.PrefaultNextPage();
                for (int i = 0; i < n; i++)
                {
                    {|OSV1002:lk.Lock()|};
                    lk.Unlock();
                    byte* scratch = stackalloc byte[32];
                }
            }
        }
        """);

    [Fact]
    public Task MissingWinsOverStale() => Verify("""
        unsafe class C
        {
            void M(SpinLock lk, bool b)
            {
                if (b) { Stack.PrefaultNextPage(); byte* p = stackalloc byte[8]; }
                {|OSV1001:lk.Lock()|};
                lk.Unlock();
            }
        }
        """);

    // ---- delegates and function pointers (OSV1003) ----

    [Fact]
    public Task MethodGroupsOfDisablingMembers() => Verify("""
        unsafe class C
        {
            void M(SpinLock lk)
            {
                Action a = {|OSV1003:Preempt.Disable|};
                Action b = {|OSV1003:lk.Lock|};
                Func<bool> t = {|OSV1003:lk.TryLock|};
                delegate*<void> f = &{|OSV1003:Irq.Disable|};
                Run({|OSV1003:Irq.Disable|});
                var d = new Action({|OSV1003:Preempt.Disable|});
            }
            static void Run(Action a) => a();
        }
        """);

    [Fact]
    public Task DelegatesOfOtherMembersAndNameofAreFine() => Verify("""
        unsafe class C
        {
            void M()
            {
                Action a = Preempt.Enable;
                delegate*<void> f = &Irq.Enable;
                string name = nameof(Preempt.Disable);
                Action b = () => { Stack.PrefaultNextPage(); Preempt.Disable(); Preempt.Enable(); };
            }
        }
        """);

    [Fact]
    public Task AnnotatedLambdaUsedAsDelegate() => Verify("""
        class C
        {
            void M()
            {
                Action a = {|OSV1003:[DisablesPreemption] () => Preempt.Disable()|};
            }
        }
        """);

    [Fact]
    public Task LambdaBodiesAreCheckedOnTheirOwn() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                Action a = () => { {|OSV1001:lk.Lock()|}; lk.Unlock(); };
                Action b = () => { Stack.PrefaultNextPage(); lk.Lock(); lk.Unlock(); };
                Func<int, int> c = static x => { Stack.PrefaultNextPageIfPreemptible(); Irq.Disable(); Irq.Enable(); return x; };
            }
        }
        """);

    // ---- local functions ----

    [Fact]
    public Task LocalFunctionCalledAfterThePrefault() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                Locked();
                Locked();
                void Locked() { lk.Lock(); lk.Unlock(); }
            }
        }
        """);

    [Fact]
    public Task LocalFunctionCalledOnceWithoutPrefault() => Verify("""
        class C
        {
            void M(SpinLock lk, bool b)
            {
                if (b)
                {
                    Stack.PrefaultNextPage();
                    Locked();
                }
                Locked();
                void Locked() { {|OSV1001:lk.Lock()|}; lk.Unlock(); }
            }
        }
        """);

    [Fact]
    public Task LocalFunctionCalledInsideARegion() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                using (new IrqGuard(true)) { Inner(); }
                static void Inner() { Preempt.Disable(); Preempt.Enable(); }
            }
        }
        """);

    [Fact]
    public Task LocalFunctionUsedAsDelegateNeedsItsOwnPrefault() => Verify("""
        class C
        {
            Action M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                Locked();
                return Locked;
                void Locked() { {|OSV1001:lk.Lock()|}; lk.Unlock(); }
            }
        }
        """);

    [Fact]
    public Task LocalFunctionsCallingEachOther() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                Outer();
                void Outer() { Inner(); }
                void Inner() { lk.Lock(); lk.Unlock(); }
            }
            void N(SpinLock lk)
            {
                Outer();
                void Outer() { Inner(); }
                void Inner() { {|OSV1001:lk.Lock()|}; lk.Unlock(); }
            }
        }
        """);

    [Fact]
    public Task UncalledLocalFunctionIsCheckedAlone() => Verify("""
        class C
        {
            void M(SpinLock lk)
            {
                Stack.PrefaultNextPage();
                void Unused() { {|OSV1001:lk.Lock()|}; lk.Unlock(); }
            }
        }
        """);

    [Fact]
    public Task RecursiveLocalFunction() => Verify("""
        class C
        {
            void M(SpinLock lk, int n)
            {
                Stack.PrefaultNextPage();
                Walk(n);
                void Walk(int depth) { if (depth == 0) return; lk.Lock(); lk.Unlock(); Walk(depth - 1); }
            }
        }
        """);

    // ---- generics, interfaces, overrides, properties ----

    [Fact]
    public Task GenericLockThroughItsInterface() => Verify("""
        class C
        {
            void A<T>(T l) where T : ILock { {|OSV1001:l.Lock()|}; l.Unlock(); }
            void B<T>(T l) where T : ILock { Stack.PrefaultNextPage(); l.Lock(); l.Unlock(); }
            void D(ILock l) { {|OSV1001:l.Lock()|}; l.Unlock(); }
            void E(TicketLock l) { {|OSV1001:l.Lock()|}; l.Unlock(); }
            void F<T>(T l) where T : ILock { using (var g = {|OSV1001:new Guard<T>(l)|}) { } }
        }
        """);

    [Fact]
    public Task GenericMethodsDeclaringTheMark() => Verify("""
        static class Locks
        {
            [DisablesPreemption] public static void Lock<T>(T l) where T : ILock => l.Lock();
            [EnablesPreemption] public static void Unlock<T>(T l) where T : ILock => l.Unlock();
        }
        class C
        {
            void A(TicketLock t) { {|OSV1001:Locks.Lock(t)|}; Locks.Unlock(t); }
            void B(TicketLock t) { Stack.PrefaultNextPage(); Locks.Lock(t); Locks.Unlock(t); }
        }
        """);

    [Fact]
    public Task OverridesInheritTheMark() => Verify("""
        class C
        {
            void A(NetDevice d) { {|OSV1001:d.Quiesce()|}; d.Resume(); }
            void B(Device d) { Stack.PrefaultNextPage(); d.Quiesce(); d.Resume(); }
        }
        """);

    [Fact]
    public Task ExtensionMethodThatDisables() => Verify("""
        static class LockExtensions
        {
            [DisablesPreemption] public static void LockBoth(this SpinLock a, SpinLock b) { a.Lock(); b.Lock(); }
        }
        class C
        {
            void M(SpinLock a, SpinLock b) { {|OSV1001:a.LockBoth(b)|}; b.Unlock(); a.Unlock(); }
        }
        """);

    [Fact]
    public Task ConstructorsAndInitializers() => Verify("""
        class C
        {
            private readonly ulong _flags;
            C(bool b) { _flags = {|OSV1001:Irq.Save()|}; Irq.Restore(_flags); }
            C() { Stack.PrefaultNextPage(); _flags = Irq.Save(); Irq.Restore(_flags); }
            static C() { {|OSV1001:Preempt.Disable()|}; Preempt.Enable(); }
        }
        """);

    // ---- suppression ----

    [Fact]
    public Task SuppressionsWithJustification() => Verify("""
        using System.Diagnostics.CodeAnalysis;
        class C
        {
            [SuppressMessage("Osv.Stack", "OSV1001", Justification = "boot CPU, boot stack is mapped")]
            void Boot() { Irq.Disable(); }

            void Early()
            {
        #pragma warning disable OSV1001 // before the first application thread exists
                Irq.Disable();
        #pragma warning restore OSV1001
                Irq.Enable();
                {|OSV1001:Irq.Disable()|};
            }
        }
        """);

    // ---- across assemblies ----

    [Fact]
    public Task AnnotationsCrossAssemblyBoundariesAsMetadata() => VerifyAgainstMetadata("""
        class C
        {
            void A(SpinLock lk) { {|OSV1001:lk.Lock()|}; lk.Unlock(); }
            void B(SpinLock lk) { Stack.PrefaultNextPage(); lk.Lock(); lk.Unlock(); }
            void D() { using ({|OSV1001:new IrqGuard(true)|}) { } }
            void E(TicketLock t) { {|OSV1001:t.Lock()|}; t.Unlock(); }
            void F(NetDevice d) { {|OSV1001:d.Quiesce()|}; d.Resume(); }
            void G(SpinLock lk) { Stack.PrefaultNextPage(); if (lk.TryLock()) lk.Unlock(); }
            void H() { Action a = {|OSV1003:Preempt.Disable|}; }
        }
        """);

    [Fact]
    public Task AnnotationsCrossProjectReferences()
    {
        var test = Verifier.CreateTest(Usings + """
            class C
            {
                void A(SpinLock lk) { {|OSV1001:lk.Lock()|}; lk.Unlock(); }
                void B(SpinLock lk) { Stack.PrefaultNextPageIfPreemptible(); lk.Lock(); lk.Unlock(); }
            }
            """);
        test.TestState.AdditionalProjects["KernelCore"].Sources.Add(KernelPrelude.Source);
        AnalyzerVerifier<Osv.Analyzers.Rules.PrefaultAnalyzer>.AddReferences(test.TestState.AdditionalProjects["KernelCore"].AdditionalReferences);
        test.TestState.AdditionalProjectReferences.Add("KernelCore");
        return test.RunAsync();
    }
}
