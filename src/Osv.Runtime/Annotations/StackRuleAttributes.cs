using System;

namespace Osv.Annotations
{
    // The lazy-stack vocabulary of docs/architecture.md ("Stack pre-faulting").
    // Each attribute states a fact about where a method runs; the analyzer checks call sites.

    /// <summary>Rule 1: runs only on kernel threads, whose stacks are populated up front.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Class | AttributeTargets.Struct)]
    public sealed class KernelThreadOnlyAttribute : Attribute { }

    /// <summary>Rule 2: runs on an interrupt, exception or syscall stack (always populated).</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Class | AttributeTargets.Struct)]
    public sealed class PopulatedStackAttribute : Attribute { }

    /// <summary>Rule 3: callers have already disabled preemption.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class RequiresPreemptionDisabledAttribute : Attribute { }

    /// <summary>Rule 3: callers have already disabled interrupts.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class RequiresInterruptsDisabledAttribute : Attribute { }

    /// <summary>The method disables preemption (its counterpart carries <see cref="EnablesPreemptionAttribute"/>).</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class DisablesPreemptionAttribute : Attribute { }

    /// <summary>The method re-enables preemption.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class EnablesPreemptionAttribute : Attribute { }

    /// <summary>The method disables interrupts.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class DisablesInterruptsAttribute : Attribute { }

    /// <summary>The method re-enables interrupts.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class EnablesInterruptsAttribute : Attribute { }

    /// <summary>The method may sleep or take a page fault: never call it with preemption or interrupts disabled.</summary>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor)]
    public sealed class MaySleepAttribute : Attribute { }
}
