using System.Threading.Tasks;
using Xunit;
using Verifier = Osv.Analyzers.Tests.AnalyzerVerifier<Osv.Analyzers.Rules.PrefaultAnalyzer>;

namespace Osv.Analyzers.Tests;

/// <summary>Independent review cases written by the lead: switch, goto, loops, lambdas, using declarations.</summary>
public sealed class LeadReviewTests
{
    private const string Usings = "using System;\nusing Osv.Annotations;\nusing Kernel;\n";

    private static Task Verify(string source) => KernelPrelude.VerifyWithPrelude<Rules.PrefaultAnalyzer>(Usings + source);

    [Fact]
    public Task SwitchWithPrefaultInSomeCasesOnly() => Verify("""
        static class C
        {
            static void M(int k)
            {
                switch (k)
                {
                    case 0: Stack.PrefaultNextPage(); break;
                    case 1: Stack.PrefaultNextPageIfPreemptible(); break;
                    default: break;
                }
                {|OSV1001:Preempt.Disable()|};
                Preempt.Enable();
            }
        }
        """);

    [Fact]
    public Task StackallocInALoopMakesTheNextIterationStale() => Verify("""
        static unsafe class C
        {
            static void M(int n)
            {
                Stack.PrefaultNextPage();
                for (int i = 0; i < n; i++)
                {
                    {|OSV1002:Preempt.Disable()|};
                    Preempt.Enable();
                    byte* b = stackalloc byte[16];
                    b[0] = 1;
                }
            }
        }
        """);

    [Fact]
    public Task GotoAroundThePrefault() => Verify("""
        static class C
        {
            static void M(bool skip)
            {
                if (skip) goto disable;
                Stack.PrefaultNextPage();
            disable:
                {|OSV1001:Irq.Disable()|};
                Irq.Enable();
            }
        }
        """);

    [Fact]
    public Task UsingDeclarationGuardIsCleanWhenPrefaulted() => Verify("""
        static class C
        {
            static readonly SpinLock s_lock = new SpinLock();
            static int M()
            {
                Stack.PrefaultNextPage();
                using var guard = s_lock.Acquire();
                return 1;
            }
        }
        """);

    [Fact]
    public Task ALambdaDoesNotInheritItsEnclosingPrefault() => Verify("""
        static class C
        {
            static void M()
            {
                Stack.PrefaultNextPage();
                Action a = () => { {|OSV1001:Preempt.Disable()|}; Preempt.Enable(); };
                a();
            }
        }
        """);

    // Lazy stack pages are never unmapped again: one pre-fault covers every later region at the same
    // stack depth (only a stackalloc moves the stack pointer down and makes it stale).
    [Fact]
    public Task APrefaultCoversNestedAndLaterRegionsInTheSameFrame() => Verify("""
        static class C
        {
            static void M()
            {
                Stack.PrefaultNextPage();
                Preempt.Disable();
                Irq.Disable();
                Irq.Enable();
                Preempt.Enable();
                Irq.Disable();
                Irq.Enable();
            }
        }
        """);
}
