using System;

namespace Osv.Annotations
{
    // The try-acquire form of the lazy-stack vocabulary (docs/analyzers/OSV1001.md).
    // Modelled on [NotNullWhen(bool)]: the region starts only on the branch where the call returned
    // the given value. A caller pre-faults before the call (it may disable), and branches on the result
    // directly: `if (lk.TryLock()) { ...; lk.Unlock(); }`, `while (!lk.TryLock()) Cpu.Pause();`.
    // A result first stored in a variable is treated as "maybe disabled" from the call on.

    /// <summary>
    /// The method disables preemption when it returns <see cref="ReturnValue"/> (e.g. a spin lock's
    /// TryLock), and leaves it as it was otherwise.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class DisablesPreemptionWhenAttribute : Attribute
    {
        public DisablesPreemptionWhenAttribute(bool returnValue) { ReturnValue = returnValue; }
        public bool ReturnValue { get; }
    }

    /// <summary>
    /// The method disables interrupts when it returns <see cref="ReturnValue"/> (e.g. an irq-save
    /// lock's TryLock), and leaves them as they were otherwise.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class DisablesInterruptsWhenAttribute : Attribute
    {
        public DisablesInterruptsWhenAttribute(bool returnValue) { ReturnValue = returnValue; }
        public bool ReturnValue { get; }
    }
}
