namespace Osv.Analyzers
{
    /// <summary>Metadata names of the Osv.Annotations vocabulary (src/Osv.Runtime/Annotations).</summary>
    internal static class AnnotationNames
    {
        public const string Namespace = "Osv.Annotations";
        public const string KernelThreadOnly = "Osv.Annotations.KernelThreadOnlyAttribute";
        public const string PopulatedStack = "Osv.Annotations.PopulatedStackAttribute";
        public const string RequiresPreemptionDisabled = "Osv.Annotations.RequiresPreemptionDisabledAttribute";
        public const string RequiresInterruptsDisabled = "Osv.Annotations.RequiresInterruptsDisabledAttribute";
        public const string DisablesPreemption = "Osv.Annotations.DisablesPreemptionAttribute";
        public const string EnablesPreemption = "Osv.Annotations.EnablesPreemptionAttribute";
        public const string DisablesInterrupts = "Osv.Annotations.DisablesInterruptsAttribute";
        public const string EnablesInterrupts = "Osv.Annotations.EnablesInterruptsAttribute";
        public const string MaySleep = "Osv.Annotations.MaySleepAttribute";
        public const string DisablesPreemptionWhen = "Osv.Annotations.DisablesPreemptionWhenAttribute";
        public const string DisablesInterruptsWhen = "Osv.Annotations.DisablesInterruptsWhenAttribute";
        public const string OsvApi = "Osv.Annotations.OsvApiAttribute";
        public const string Stack = "Osv.Annotations.Stack";
        public const string PrefaultNextPage = "PrefaultNextPage";
        public const string PrefaultNextPageIfPreemptible = "PrefaultNextPageIfPreemptible";
    }
}
