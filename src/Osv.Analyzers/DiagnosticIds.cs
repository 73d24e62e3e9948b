namespace Osv.Analyzers
{
    /// <summary>Every diagnostic id, one place. Each has docs/analyzers/&lt;ID&gt;.md.</summary>
    internal static class DiagnosticIds
    {
        // Rule 1: pre-fault before disabling preemption or interrupts.
        public const string MissingPrefault = "OSV1001";
        public const string StackallocAfterPrefault = "OSV1002";
        public const string DisablingMemberAsDelegate = "OSV1003";

        // Rule 2: context contracts.
        public const string KernelThreadOnlyCall = "OSV2001";
        public const string PopulatedStackCall = "OSV2002";
        public const string RequiresDisabledCall = "OSV2003";

        // Rule 3: atomic context.
        public const string MaySleepInAtomicContext = "OSV3001";
        public const string AllocationInAtomicContext = "OSV3002";

        // Rule 4: public ABI.
        public const string EntryPointWithoutApi = "OSV4001";
        public const string EntryPointNotListed = "OSV4002";
        public const string ListedSymbolNotImplemented = "OSV4003";
        public const string SymbolImplementedTwice = "OSV4004";
        public const string UnknownApiLibrary = "OSV4005";
        public const string WrongSymbolProvider = "OSV4006";

        // Rule 5: layering.
        public const string LayeringViolation = "OSV5001";
        public const string ModuleUsesKernelInternals = "OSV5002";

        /// <summary>Where each id is documented (the descriptors' help link).</summary>
        public static string HelpLink(string id) => "docs/analyzers/" + id + ".md";
    }
}
