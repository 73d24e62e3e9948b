using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Osv.Analyzers.Rules
{
    /// <summary>
    /// Rule 4, public ABI (docs/analyzers/OSV4001.md ... OSV4005.md). Every method that exports a
    /// symbol, <c>[UnmanagedCallersOnly(EntryPoint = "x")]</c>, says what it is: public ABI of a
    /// library, <c>[OsvApi("libc.so.6")]</c>, whose list exported_symbols/libc.so.6.symbols names it;
    /// or <c>[InternalEntryPoint("...")]</c>, called only by the kernel's own code. Where the image is
    /// composed (<c>build_property.OsvImageComposition = true</c>, set by src/Osv.Kernel) it also
    /// checks the whole image: every listed symbol has an implementation, none has two.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PublicAbiAnalyzer : DiagnosticAnalyzer
    {
        private const string Category = "Osv.Abi";
        private const string UnmanagedCallersOnly = "System.Runtime.InteropServices.UnmanagedCallersOnlyAttribute";
        private const string InternalEntryPoint = "Osv.Annotations.InternalEntryPointAttribute";

        /// <summary>Global analyzer config key (an MSBuild property made compiler-visible) of the composition root.</summary>
        public const string CompositionKey = "build_property.OsvImageComposition";

        internal static readonly DiagnosticDescriptor EntryPointWithoutApi = new DiagnosticDescriptor(
            DiagnosticIds.EntryPointWithoutApi,
            "Exported entry point is neither public ABI nor an internal entry point",
            "'{0}' exports the symbol '{1}' but carries neither [OsvApi(\"<library>\")] (public ABI) nor [InternalEntryPoint(\"<caller>\")] (called only by the kernel)",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.EntryPointWithoutApi));

        internal static readonly DiagnosticDescriptor EntryPointNotListed = new DiagnosticDescriptor(
            DiagnosticIds.EntryPointNotListed,
            "Public entry point is not in its library's export list",
            "'{0}' is public ABI of {1}, but exported_symbols/{1}.symbols does not list '{0}'",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.EntryPointNotListed));

        internal static readonly DiagnosticDescriptor ListedSymbolNotImplemented = new DiagnosticDescriptor(
            DiagnosticIds.ListedSymbolNotImplemented,
            "Listed symbol has no implementation in the image",
            "'{0}' is listed for {1}, but no method in the image implements it ([UnmanagedCallersOnly(EntryPoint = \"{0}\")])",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.ListedSymbolNotImplemented),
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        internal static readonly DiagnosticDescriptor SymbolImplementedTwice = new DiagnosticDescriptor(
            DiagnosticIds.SymbolImplementedTwice,
            "Symbol is implemented more than once",
            "The symbol '{0}' is implemented twice: by {1} and already by {2}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.SymbolImplementedTwice),
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        internal static readonly DiagnosticDescriptor WrongSymbolProvider = new DiagnosticDescriptor(
            DiagnosticIds.WrongSymbolProvider,
            "Listed symbol's provider annotation is wrong",
            "'{0}' in {1}: {2}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.WrongSymbolProvider),
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        internal static readonly DiagnosticDescriptor UnknownApiLibrary = new DiagnosticDescriptor(
            DiagnosticIds.UnknownApiLibrary,
            "[OsvApi] names a library with no export list",
            "[OsvApi(\"{0}\")] names a library with no export list: there is no exported_symbols/{0}.symbols among the additional files",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.UnknownApiLibrary));

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            EntryPointWithoutApi, EntryPointNotListed, ListedSymbolNotImplemented, SymbolImplementedTwice, UnknownApiLibrary,
            WrongSymbolProvider);


        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            // Generated code exports symbols too: it counts for duplicates and implementations.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.RegisterCompilationStartAction(Start);
        }

        /// <summary>One method that exports a symbol by name.</summary>
        private sealed class Implementation
        {
            public Implementation(string symbol, IMethodSymbol method, Location? location)
            {
                Symbol = symbol;
                Location = location;
                Description = "'" + method.ToDisplayString() + "' (" + method.ContainingAssembly?.Name + ")";
            }

            public string Symbol { get; }
            public string Description { get; }
            /// <summary>In source, or null for a method of a referenced assembly.</summary>
            public Location? Location { get; }
        }

        private static void Start(CompilationStartAnalysisContext context)
        {
            PublicAbiSymbolLists lists = PublicAbiSymbolLists.Read(context.Options.AdditionalFiles, context.CancellationToken);
            bool composing = Layers.IsTrue(context.Options, CompositionKey);
            var implementations = new ConcurrentBag<Implementation>();

            void Analyze(IMethodSymbol method, Action<Diagnostic> report)
            {
                if (!TryGetEntryPoint(method, out string symbol))
                    return;
                Location location = method.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
                implementations.Add(new Implementation(symbol, method, location));

                bool isInternal = false;
                AttributeData? api = null;
                foreach (AttributeData attribute in method.GetAttributes())
                {
                    string? name = attribute.AttributeClass?.ToDisplayString();
                    if (name == AnnotationNames.OsvApi)
                        api = attribute;
                    else if (name == InternalEntryPoint)
                        isInternal = true;
                }

                if (api == null)
                {
                    if (!isInternal)
                        report(Diagnostic.Create(EntryPointWithoutApi, location, method.ToDisplayString(), symbol));
                    return;
                }
                string library = api.ConstructorArguments.Length == 1 ? api.ConstructorArguments[0].Value as string ?? "" : "";
                if (!lists.HasLibrary(library))
                    report(Diagnostic.Create(UnknownApiLibrary, location, library));
                else if (!lists.Lists(library, symbol))
                    report(Diagnostic.Create(EntryPointNotListed, location, symbol, library));
            }

            context.RegisterSymbolAction(c => Analyze((IMethodSymbol)c.Symbol, c.ReportDiagnostic), SymbolKind.Method);
            // Static local functions may export symbols too; symbol actions do not see them.
            context.RegisterOperationAction(c => Analyze(((ILocalFunctionOperation)c.Operation).Symbol, c.ReportDiagnostic),
                OperationKind.LocalFunction);

            context.RegisterCompilationEndAction(endContext =>
            {
                var image = new List<Implementation>();
                if (composing)
                    image.AddRange(ReferencedImplementations(endContext.Compilation));
                image.AddRange(implementations.OrderBy(i => i.Location!.SourceTree?.FilePath, StringComparer.Ordinal)
                                              .ThenBy(i => i.Location!.SourceSpan.Start));

                var first = new Dictionary<string, Implementation>(StringComparer.Ordinal);
                foreach (Implementation implementation in image)
                {
                    if (first.TryGetValue(implementation.Symbol, out Implementation? earlier))
                    {
                        endContext.ReportDiagnostic(Diagnostic.Create(SymbolImplementedTwice, implementation.Location ?? Location.None,
                            implementation.Symbol, implementation.Description, earlier.Description));
                    }
                    else
                    {
                        first.Add(implementation.Symbol, implementation);
                    }
                }

                if (!composing)
                    return;
                foreach (PublicAbiSymbolLists.Entry entry in lists.Entries)
                {
                    bool inCSharp = first.TryGetValue(entry.Symbol, out Implementation? implementation);
                    if (!entry.HasKnownProvider)
                    {
                        endContext.ReportDiagnostic(Diagnostic.Create(WrongSymbolProvider, entry.Location, entry.Symbol, entry.Library,
                            "unknown provider '" + entry.Provider + "' (write 'musl' for libc.a, 'asm' for assembly, nothing for C#)"));
                    }
                    else if (entry.IsImplementedInCSharp)
                    {
                        if (!inCSharp)
                            endContext.ReportDiagnostic(Diagnostic.Create(ListedSymbolNotImplemented, entry.Location, entry.Symbol, entry.Library));
                    }
                    else if (inCSharp)
                    {
                        // The C# definition would win the link and the annotated code would never be used.
                        endContext.ReportDiagnostic(Diagnostic.Create(WrongSymbolProvider, entry.Location, entry.Symbol, entry.Library,
                            "listed as provided by " + entry.Provider + ", but " + implementation!.Description + " implements it in C#"));
                    }
                }
            });
        }

        /// <summary>The symbol a method exports: <c>[UnmanagedCallersOnly(EntryPoint = "x")]</c>.</summary>
        private static bool TryGetEntryPoint(IMethodSymbol method, out string symbol)
        {
            foreach (AttributeData attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != UnmanagedCallersOnly)
                    continue;
                foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
                {
                    if (argument.Key == "EntryPoint" && argument.Value.Value is string name && name.Length > 0)
                    {
                        symbol = name;
                        return true;
                    }
                }
            }
            symbol = "";
            return false;
        }

        /// <summary>
        /// Entry points of the referenced kernel assemblies: those that are, or reference, the assembly
        /// holding Osv.Annotations (every Osv.* assembly; not the framework). Entry points are usually
        /// private, so the references are read with every member imported.
        /// </summary>
        private static IEnumerable<Implementation> ReferencedImplementations(Compilation compilation)
        {
            string? annotations = compilation.GetTypeByMetadataName(AnnotationNames.OsvApi)?.ContainingAssembly?.Name;
            if (annotations == null)
                yield break;
            Compilation everything = compilation.WithOptions(compilation.Options.WithMetadataImportOptions(MetadataImportOptions.All));
            var assemblies = new List<IAssemblySymbol>();
            foreach (MetadataReference reference in everything.References)
            {
                if (everything.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly
                    && assembly.Name != compilation.AssemblyName
                    && (assembly.Name == annotations || assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == annotations))))
                {
                    assemblies.Add(assembly);
                }
            }
            foreach (IAssemblySymbol assembly in assemblies.OrderBy(a => a.Name, StringComparer.Ordinal))
            {
                var found = new List<Implementation>();
                Collect(assembly.GlobalNamespace, found);
                foreach (Implementation implementation in found.OrderBy(i => i.Description, StringComparer.Ordinal))
                    yield return implementation;
            }
        }

        private static void Collect(INamespaceOrTypeSymbol container, List<Implementation> found)
        {
            foreach (ISymbol member in container.GetMembers())
            {
                if (member is INamespaceOrTypeSymbol nested)
                    Collect(nested, found);
                else if (member is IMethodSymbol method && TryGetEntryPoint(method, out string symbol))
                    found.Add(new Implementation(symbol, method, null));
            }
        }
    }
}
