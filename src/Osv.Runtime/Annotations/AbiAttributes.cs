using System;

namespace Osv.Annotations
{
    /// <summary>
    /// Marks an `[UnmanagedCallersOnly(EntryPoint = ...)]` method as public ABI of the named library
    /// (e.g. "libc.so.6"). The entry point must be listed in exported_symbols/&lt;library&gt;.symbols.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class OsvApiAttribute : Attribute
    {
        public OsvApiAttribute(string library) { Library = library; }
        public string Library { get; }
    }

    /// <summary>
    /// Marks an `[UnmanagedCallersOnly(EntryPoint = ...)]` method that only the kernel's own assembly
    /// calls (boot entry, trap dispatch, runtime helpers): a global symbol, but not public ABI.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class InternalEntryPointAttribute : Attribute
    {
        public InternalEntryPointAttribute(string calledFrom) { CalledFrom = calledFrom; }
        /// <summary>Where it is called from, for the reader (e.g. "Boot/traps.asm").</summary>
        public string CalledFrom { get; }
    }
}
