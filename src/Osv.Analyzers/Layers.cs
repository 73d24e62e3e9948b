using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Osv.Analyzers
{
    /// <summary>
    /// The layer order of ARCHITECTURE.md ("Layout"), the one table rule 5 (OSV5001/OSV5002) reads:
    /// <c>Runtime &lt;- Arch.X64 | Arch.Arm64 &lt;- Core &lt;- Drivers, Vfs &lt;- Net, Zfs &lt;- Kernel</c>.
    /// An assembly may use only assemblies of a strictly lower rank; assemblies of the same rank are
    /// siblings and may not use each other. Assemblies not in the table (Osv.Analyzers, tools, tests,
    /// anything else) are outside the order: nothing is checked for them. A new kernel assembly
    /// gets its row here and in docs/analyzers/OSV5001.md.
    /// </summary>
    public static class Layers
    {
        public static readonly IReadOnlyDictionary<string, int> Rank = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["Osv.Runtime"] = 0,
            ["Osv.Arch.X64"] = 1,
            ["Osv.Arch.Arm64"] = 1,
            ["Osv.Core"] = 2,
            ["Osv.Drivers"] = 3,
            ["Osv.Vfs"] = 3,
            ["Osv.Net"] = 4,
            ["Osv.Zfs"] = 4,
            ["Osv.Kernel"] = 5,
        };

        /// <summary>
        /// The one kernel assembly a module may use: the corelib of the kernel flavor, which also holds
        /// the Osv.Annotations vocabulary. Everything else in <see cref="Rank"/> is kernel internals.
        /// </summary>
        public const string ModuleMayUse = "Osv.Runtime";

        /// <summary>MSBuild property (made compiler-visible) that marks an assembly as a module.</summary>
        public const string ModuleProperty = "build_property.OsvModule";

        /// <summary>Assembly-level attribute that marks an assembly as a module.</summary>
        public const string ModuleAttribute = "Osv.Annotations.OsvModuleAttribute";

        public static int? RankOf(string? assemblyName)
            => assemblyName != null && Rank.TryGetValue(assemblyName, out int rank) ? rank : (int?)null;

        /// <summary>
        /// True when the compilation is a module (libsolaris.so, the monitoring module): either
        /// <c>build_property.OsvModule = true</c> in its analyzer config or <c>[assembly: OsvModule]</c>.
        /// </summary>
        public static bool IsModule(Compilation compilation, AnalyzerOptions options)
        {
            if (IsTrue(options, ModuleProperty))
                return true;
            foreach (AttributeData attribute in compilation.Assembly.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == ModuleAttribute)
                    return true;
            }
            return false;
        }

        /// <summary>A global analyzer config key set to "true" (any case).</summary>
        public static bool IsTrue(AnalyzerOptions options, string key)
            => options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(key, out string? value)
               && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    }
}
