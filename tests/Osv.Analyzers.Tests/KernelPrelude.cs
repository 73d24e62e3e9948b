using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Osv.Analyzers.Tests;

/// <summary>
/// Kernel-like primitives for the rule tests (prelude appended to each test source), also compiled
/// into a separate assembly so tests can reference them as metadata.
/// </summary>
public static class KernelPrelude
{
    public const string Source = """

        namespace Kernel
        {
            using System;
            using Osv.Annotations;

            public static class Preempt
            {
                private static int s_count;
                [DisablesPreemption] public static void Disable() { s_count++; }
                [EnablesPreemption] public static void Enable() { s_count--; }
            }

            public static class Irq
            {
                [DisablesInterrupts] public static void Disable() { }
                [EnablesInterrupts] public static void Enable() { }
                [DisablesInterrupts] public static ulong Save() => 0;
                [EnablesInterrupts] public static void Restore(ulong flags) { }
            }

            public sealed class SpinLock
            {
                private int _held;
                [DisablesPreemption] public void Lock() { Preempt.Disable(); _held = 1; }
                [EnablesPreemption] public void Unlock() { _held = 0; Preempt.Enable(); }
                [DisablesPreemptionWhen(true)] public bool TryLock()
                {
                    Preempt.Disable();
                    if (_held == 0) { _held = 1; return true; }
                    Preempt.Enable();
                    return false;
                }
                [DisablesPreemption] public LockGuard Acquire() => new LockGuard(this);
            }

            /// <summary>A guard whose construction takes the lock and whose Dispose drops it.</summary>
            public ref struct LockGuard
            {
                private readonly SpinLock _lock;
                [DisablesPreemption] public LockGuard(SpinLock l) { _lock = l; l.Lock(); }
                [EnablesPreemption] public void Dispose() { _lock.Unlock(); }
            }

            /// <summary>Interrupts off for its lifetime (a struct IDisposable).</summary>
            public struct IrqGuard : IDisposable
            {
                private readonly ulong _flags;
                [DisablesInterrupts] public IrqGuard(bool unused) { _flags = Irq.Save(); }
                [EnablesInterrupts] public void Dispose() { Irq.Restore(_flags); }
            }

            /// <summary>A class guard with a factory.</summary>
            public sealed class PreemptGuard : IDisposable
            {
                private PreemptGuard() { }
                private static readonly PreemptGuard s_instance = new PreemptGuard();
                [DisablesPreemption] public static PreemptGuard Enter() { Preempt.Disable(); return s_instance; }
                [EnablesPreemption] public void Dispose() { Preempt.Enable(); }
            }

            public static class Sched
            {
                [MaySleep] public static void Sleep() { }
                [MaySleep] public static void Yield() { }
            }

            public sealed class WaitQueue
            {
                [MaySleep] public WaitQueue() { }
                [MaySleep] public void Wait() { }
            }

            public static class PerCpu
            {
                [RequiresPreemptionDisabled] public static int CpuId() => 0;
            }

            public static class Apic
            {
                [RequiresInterruptsDisabled] public static void Eoi() { }
            }

            [KernelThreadOnly]
            public static class Reaper
            {
                public static void Reap() { }
            }

            public static class Traps
            {
                [PopulatedStack] public static void Dispatch() { }
            }

            /// <summary>Annotated on the interface only: implementations and generic callers inherit it.</summary>
            public interface ILock
            {
                [DisablesPreemption] void Lock();
                [EnablesPreemption] void Unlock();
            }

            public sealed class TicketLock : ILock
            {
                private int _next, _serving;
                public void Lock() { Preempt.Disable(); _next++; }
                public void Unlock() { _serving++; Preempt.Enable(); }
            }

            /// <summary>Generic guard over any ILock.</summary>
            public readonly struct Guard<T> : IDisposable where T : ILock
            {
                private readonly T _lock;
                [DisablesPreemption] public Guard(T l) { _lock = l; l.Lock(); }
                [EnablesPreemption] public void Dispose() => _lock.Unlock();
            }

            public class Device
            {
                /// <summary>Reading the status register masks the device interrupt line.</summary>
                public ulong Status { [DisablesInterrupts] get => 0; }
                [DisablesPreemption] public virtual void Quiesce() { Preempt.Disable(); }
                [EnablesPreemption] public virtual void Resume() { Preempt.Enable(); }
            }

            public sealed class NetDevice : Device
            {
                public override void Quiesce() { Preempt.Disable(); }
                public override void Resume() { Preempt.Enable(); }
            }
        }
        """;

    /// <summary>
    /// Skips the framework's extra passes (generated-code and #pragma variants of every test): each rule
    /// keeps one test with them; the rest run once, to keep the suite fast.
    /// </summary>
    public static T Fast<T>(T test) where T : AnalyzerTest<DefaultVerifier>
    {
        test.TestBehaviors |= TestBehaviors.SkipGeneratedCodeCheck | TestBehaviors.SkipSuppressionCheck;
        return test;
    }

    /// <summary>Test code plus the prelude in the same compilation.</summary>
    public static Task VerifyWithPrelude<TAnalyzer>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new()
        => Fast(AnalyzerVerifier<TAnalyzer>.CreateTest(source + Source)).RunAsync();

    /// <summary>Test code against the prelude compiled into another assembly (metadata only).</summary>
    public static Task VerifyAgainstImage<TAnalyzer>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = Fast(AnalyzerVerifier<TAnalyzer>.CreateTest(source));
        test.TestState.AdditionalReferences.Add(Image);
        return test.RunAsync();
    }

    private static MetadataReference? s_image;

    /// <summary>The prelude compiled into its own assembly ("KernelLib"), for metadata-reference tests.</summary>
    public static MetadataReference Image => s_image ??= Compile("KernelLib", Source);

    public static MetadataReference Compile(string assemblyName, string source)
    {
        var references = new MetadataReferenceCollection();
        AnalyzerVerifier<Microsoft.CodeAnalysis.Testing.EmptyDiagnosticAnalyzer>.AddReferences(references);
        var compilation = CSharpCompilation.Create(assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview)) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}
