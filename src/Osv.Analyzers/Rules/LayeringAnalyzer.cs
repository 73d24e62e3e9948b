using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Osv.Analyzers.Rules
{
    /// <summary>
    /// Rule 5, layering (docs/analyzers/OSV5001.md, OSV5002.md). A kernel assembly uses only
    /// assemblies below it in <see cref="Layers.Rank"/> (OSV5001). A module uses only the module API and
    /// the libc ABI: no kernel assembly but Osv.Runtime, and imports only of listed symbols (OSV5002).
    /// Each source line that uses a type or member of a forbidden assembly gets one diagnostic; a
    /// forbidden reference that no source line uses gets one diagnostic without a location.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LayeringAnalyzer : DiagnosticAnalyzer
    {
        private const string Category = "Osv.Layering";
        private const string LibraryImport = "System.Runtime.InteropServices.LibraryImportAttribute";

        internal static readonly DiagnosticDescriptor LayeringViolation = new DiagnosticDescriptor(
            DiagnosticIds.LayeringViolation,
            "Assembly uses a layer that is not below it",
            "{0} (layer {1}) must not use {2} (layer {3}): an assembly uses only the layers below it{4}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.LayeringViolation),
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        internal static readonly DiagnosticDescriptor ModuleUsesKernelInternals = new DiagnosticDescriptor(
            DiagnosticIds.ModuleUsesKernelInternals,
            "Module uses kernel internals",
            "Module {0} uses {1}; a module may use only the module API (exported_symbols/module_api.symbols) and the libc ABI",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.ModuleUsesKernelInternals),
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(LayeringViolation, ModuleUsesKernelInternals);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.RegisterCompilationStartAction(Start);
        }

        private static void Start(CompilationStartAnalysisContext context)
        {
            Compilation compilation = context.Compilation;
            string self = compilation.AssemblyName ?? "";
            bool module = Layers.IsModule(compilation, context.Options);
            int? rank = Layers.RankOf(self);
            if (!module && rank == null)
                return; // outside the order: tools, tests, the analyzers themselves

            if (module)
                CheckImports(context, self);

            // Referenced assemblies this one must not use, by name.
            var forbidden = new Dictionary<string, int>();
            foreach (MetadataReference reference in compilation.References)
            {
                if (!(compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly) || assembly.Name == self)
                    continue;
                int? theirs = Layers.RankOf(assembly.Name);
                if (theirs == null)
                    continue;
                bool allowed = module ? assembly.Name == Layers.ModuleMayUse : theirs.Value < rank!.Value;
                if (!allowed)
                    forbidden[assembly.Name] = theirs.Value;
            }
            if (forbidden.Count == 0)
                return;

            var used = new ConcurrentDictionary<string, bool>();
            Diagnostic Violation(string assembly, Location location, string detail) => module
                ? Diagnostic.Create(ModuleUsesKernelInternals, location, self, "kernel assembly " + assembly + detail)
                : Diagnostic.Create(LayeringViolation, location, self, rank, assembly, forbidden[assembly], detail);

            context.RegisterSemanticModelAction(modelContext =>
            {
                SemanticModel model = modelContext.SemanticModel;
                var reportedLines = new HashSet<(string, int)>();
                foreach (SyntaxNode node in model.SyntaxTree.GetRoot(modelContext.CancellationToken).DescendantNodes())
                {
                    if (!(node is SimpleNameSyntax name))
                        continue;
                    ISymbol? symbol = model.GetSymbolInfo(name, modelContext.CancellationToken).Symbol;
                    if (symbol == null)
                        continue;
                    // A generic name's type arguments are names of their own, checked on their own.
                    foreach (string assembly in AssembliesOf(symbol, typeArguments: !(name is GenericNameSyntax)))
                    {
                        if (!forbidden.ContainsKey(assembly))
                            continue;
                        used[assembly] = true;
                        int line = name.GetLocation().GetLineSpan().StartLinePosition.Line;
                        if (reportedLines.Add((assembly, line)))
                            modelContext.ReportDiagnostic(Violation(assembly, name.GetLocation(), ": '" + Display(symbol) + "'"));
                    }
                }
            });

            context.RegisterCompilationEndAction(endContext =>
            {
                foreach (string assembly in forbidden.Keys)
                {
                    if (!used.ContainsKey(assembly))
                        endContext.ReportDiagnostic(Violation(assembly, Location.None, " (a reference no source uses: remove it)"));
                }
            });
        }

        /// <summary>
        /// A module's imports of C functions (<c>[DllImport]</c>, <c>[LibraryImport]</c>) must name a
        /// symbol that an export list advertises: the module API or the libc ABI. Checked only when the
        /// lists (exported_symbols/*.symbols) are among the additional files.
        /// </summary>
        private static void CheckImports(CompilationStartAnalysisContext context, string self)
        {
            PublicAbiSymbolLists lists = PublicAbiSymbolLists.Read(context.Options.AdditionalFiles, context.CancellationToken);
            if (!lists.Any)
                return;

            void Analyze(IMethodSymbol method, Action<Diagnostic> report)
            {
                string? imported = ImportedName(method);
                if (imported == null || lists.ListsAnywhere(imported))
                    return;
                foreach (Location location in method.Locations)
                {
                    if (location.IsInSource)
                    {
                        report(Diagnostic.Create(ModuleUsesKernelInternals, location, self,
                            "the C function '" + imported + "', which no export list advertises"));
                        return;
                    }
                }
            }

            context.RegisterSymbolAction(c => Analyze((IMethodSymbol)c.Symbol, c.ReportDiagnostic), SymbolKind.Method);
            // Extern local functions import too. Generated ones are [LibraryImport]'s own plumbing,
            // already checked at the [LibraryImport] method.
            context.RegisterOperationAction(c =>
            {
                if (!c.IsGeneratedCode)
                    Analyze(((ILocalFunctionOperation)c.Operation).Symbol, c.ReportDiagnostic);
            }, OperationKind.LocalFunction);
        }

        /// <summary>The C function a <c>[DllImport]</c> or <c>[LibraryImport]</c> method imports, or null.</summary>
        private static string? ImportedName(IMethodSymbol method)
        {
            DllImportData? import = method.GetDllImportData();
            if (import != null)
                return import.EntryPointName ?? method.Name;
            foreach (AttributeData attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != LibraryImport)
                    continue;
                foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
                {
                    if (argument.Key == "EntryPoint" && argument.Value.Value is string name)
                        return name;
                }
                return method.Name;
            }
            return null;
        }

        /// <summary>
        /// The assemblies a bound name depends on: its own, and for types their element types and (for
        /// names such as <c>var</c> or an alias, which spell no type arguments) their type arguments.
        /// </summary>
        private static IEnumerable<string> AssembliesOf(ISymbol symbol, bool typeArguments = true)
        {
            switch (symbol)
            {
                case INamespaceSymbol _:
                case ILocalSymbol _:
                case IParameterSymbol _:
                case ILabelSymbol _:
                case IRangeVariableSymbol _:
                case IDiscardSymbol _:
                case ITypeParameterSymbol _:
                    yield break;
                case IAliasSymbol alias:
                    foreach (string name in AssembliesOf(alias.Target))
                        yield return name;
                    yield break;
                case IArrayTypeSymbol array:
                    foreach (string name in AssembliesOf(array.ElementType))
                        yield return name;
                    yield break;
                case IPointerTypeSymbol pointer:
                    foreach (string name in AssembliesOf(pointer.PointedAtType))
                        yield return name;
                    yield break;
                case INamedTypeSymbol type:
                    if (type.OriginalDefinition.ContainingAssembly is IAssemblySymbol own)
                        yield return own.Name;
                    foreach (ITypeSymbol argument in typeArguments ? type.TypeArguments : ImmutableArray<ITypeSymbol>.Empty)
                    {
                        foreach (string name in AssembliesOf(argument))
                            yield return name;
                    }
                    yield break;
                case IMethodSymbol method:
                    if ((method.ReducedFrom ?? method).ContainingAssembly is IAssemblySymbol declaring)
                        yield return declaring.Name;
                    yield break;
                default:
                    if (symbol.ContainingAssembly is IAssemblySymbol containing)
                        yield return containing.Name;
                    yield break;
            }
        }

        private static string Display(ISymbol symbol)
            => symbol is IAliasSymbol alias ? alias.Target.ToDisplayString() : symbol.ToDisplayString();
    }
}
