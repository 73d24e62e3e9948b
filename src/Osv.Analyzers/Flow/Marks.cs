using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Osv.Analyzers.Flow
{
    /// <summary>What the Osv.Annotations vocabulary says about one method (or lambda / local function).</summary>
    [Flags]
    internal enum Marks
    {
        None = 0,
        KernelThreadOnly = 1 << 0,
        PopulatedStack = 1 << 1,
        RequiresPreemptionDisabled = 1 << 2,
        RequiresInterruptsDisabled = 1 << 3,
        DisablesPreemption = 1 << 4,
        DisablesInterrupts = 1 << 5,
        EnablesPreemption = 1 << 6,
        EnablesInterrupts = 1 << 7,
        MaySleep = 1 << 8,
        /// <summary>[DisablesPreemptionWhen(true)]</summary>
        DisablesPreemptionWhenTrue = 1 << 9,
        /// <summary>[DisablesPreemptionWhen(false)]</summary>
        DisablesPreemptionWhenFalse = 1 << 10,
        /// <summary>[DisablesInterruptsWhen(true)]</summary>
        DisablesInterruptsWhenTrue = 1 << 11,
        /// <summary>[DisablesInterruptsWhen(false)]</summary>
        DisablesInterruptsWhenFalse = 1 << 12,
        /// <summary>Stack.PrefaultNextPage() or Stack.PrefaultNextPageIfPreemptible().</summary>
        Prefault = 1 << 13,

        /// <summary>Marks a type (and an enclosing method, for lambdas and local functions) passes to its members.</summary>
        Contextual = KernelThreadOnly | PopulatedStack,
        Requires = RequiresPreemptionDisabled | RequiresInterruptsDisabled,
        TryDisables = DisablesPreemptionWhenTrue | DisablesPreemptionWhenFalse | DisablesInterruptsWhenTrue | DisablesInterruptsWhenFalse,
        /// <summary>Any form of disabling: a call needs a pre-fault (OSV1001).</summary>
        AnyDisables = DisablesPreemption | DisablesInterrupts | TryDisables,
        Enables = EnablesPreemption | EnablesInterrupts,
    }

    internal static class MarksExtensions
    {
        public static bool Has(this Marks marks, Marks flag) => (marks & flag) != 0;

        public static RegionKind Disabled(this Marks marks)
            => (marks.Has(Marks.DisablesPreemption) ? RegionKind.Preemption : 0) | (marks.Has(Marks.DisablesInterrupts) ? RegionKind.Interrupts : 0);

        public static RegionKind Enabled(this Marks marks)
            => (marks.Has(Marks.EnablesPreemption) ? RegionKind.Preemption : 0) | (marks.Has(Marks.EnablesInterrupts) ? RegionKind.Interrupts : 0);

        public static RegionKind Required(this Marks marks)
            => (marks.Has(Marks.RequiresPreemptionDisabled) ? RegionKind.Preemption : 0) | (marks.Has(Marks.RequiresInterruptsDisabled) ? RegionKind.Interrupts : 0);

        /// <summary>The kinds a try-acquire disables when it returns <paramref name="returned"/>.</summary>
        public static RegionKind DisabledWhenReturned(this Marks marks, bool returned)
            => returned
                ? (marks.Has(Marks.DisablesPreemptionWhenTrue) ? RegionKind.Preemption : 0) | (marks.Has(Marks.DisablesInterruptsWhenTrue) ? RegionKind.Interrupts : 0)
                : (marks.Has(Marks.DisablesPreemptionWhenFalse) ? RegionKind.Preemption : 0) | (marks.Has(Marks.DisablesInterruptsWhenFalse) ? RegionKind.Interrupts : 0);

        /// <summary>Both kinds a try-acquire may disable (whichever value it returns).</summary>
        public static RegionKind MayDisable(this Marks marks) => marks.DisabledWhenReturned(true) | marks.DisabledWhenReturned(false);

        public static string Describe(this RegionKind kind)
            => kind switch
            {
                RegionKind.Preemption => "preemption",
                RegionKind.Interrupts => "interrupts",
                RegionKind.Preemption | RegionKind.Interrupts => "preemption and interrupts",
                _ => "nothing",
            };
    }

    /// <summary>
    /// Reads the vocabulary off symbols, by namespace and name (so it works whether the attributes come
    /// from Osv.Runtime as metadata, from source, or from another assembly's copy), with a cache per
    /// compilation. Attributes on a method also hold for its overrides; [KernelThreadOnly] and
    /// [PopulatedStack] on a type hold for every member of it and of its nested types; on a method they
    /// hold for the lambdas and local functions inside it.
    /// </summary>
    internal sealed class MarksCache
    {
        private readonly ConcurrentDictionary<ISymbol, Marks> _cache = new ConcurrentDictionary<ISymbol, Marks>(SymbolEqualityComparer.Default);

        /// <summary>True when the compilation can see any part of the vocabulary (else the rules have nothing to do).</summary>
        public static bool IsVocabularyVisible(Compilation compilation)
        {
            foreach (string name in new[]
            {
                AnnotationNames.DisablesPreemption, AnnotationNames.DisablesInterrupts, AnnotationNames.KernelThreadOnly,
                AnnotationNames.PopulatedStack, AnnotationNames.MaySleep, AnnotationNames.RequiresPreemptionDisabled,
                AnnotationNames.RequiresInterruptsDisabled, AnnotationNames.DisablesPreemptionWhen, AnnotationNames.DisablesInterruptsWhen,
            })
            {
                if (!compilation.GetTypesByMetadataName(name).IsEmpty)
                    return true;
            }
            return false;
        }

        /// <summary>Marks of a method as a callee (and as the code whose body is analyzed).</summary>
        public Marks Of(IMethodSymbol method)
        {
            method = method.ReducedFrom ?? method;
            method = method.OriginalDefinition;
            return _cache.GetOrAdd(method, m => Compute((IMethodSymbol)m));
        }

        /// <summary>Marks of the code owning an operation block: a method, or a field/property whose initializer it is.</summary>
        public Marks OfOwner(ISymbol owner)
        {
            if (owner is IMethodSymbol method)
                return Of(method);
            return _cache.GetOrAdd(owner.OriginalDefinition, s => ContextualFromContainers(s.ContainingSymbol));
        }

        private Marks Compute(IMethodSymbol method)
        {
            Marks marks = Own(method);
            for (IMethodSymbol? overridden = method.OverriddenMethod; overridden != null; overridden = overridden.OverriddenMethod)
                marks |= Own(overridden.OriginalDefinition);
            marks |= FromInterfaces(method);
            if (method.Name == AnnotationNames.PrefaultNextPage || method.Name == AnnotationNames.PrefaultNextPageIfPreemptible)
            {
                if (method.ContainingType is { Name: "Stack" } type && IsAnnotationsNamespace(type.ContainingNamespace) && type.ContainingType == null)
                    marks |= Marks.Prefault;
            }
            return marks | ContextualFromContainers(method.ContainingSymbol);
        }

        /// <summary>An implementation of an annotated interface member does what the interface says.</summary>
        private static Marks FromInterfaces(IMethodSymbol method)
        {
            Marks marks = Marks.None;
            foreach (IMethodSymbol explicitImplementation in method.ExplicitInterfaceImplementations)
                marks |= Own(explicitImplementation.OriginalDefinition);
            if (method.DeclaredAccessibility != Accessibility.Public || method.MethodKind is not (MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet)
                || method.ContainingType is not { TypeKind: TypeKind.Class or TypeKind.Struct } type)
                return marks;
            foreach (INamedTypeSymbol @interface in type.AllInterfaces)
            {
                foreach (ISymbol member in @interface.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol interfaceMethod
                        && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(interfaceMethod), method))
                        marks |= Own(interfaceMethod.OriginalDefinition);
                }
            }
            return marks;
        }

        private Marks ContextualFromContainers(ISymbol? container)
        {
            Marks marks = Marks.None;
            for (ISymbol? c = container; c != null && c.Kind != SymbolKind.Namespace; c = c.ContainingSymbol)
            {
                if (c is IMethodSymbol enclosing)
                    return marks | (Of(enclosing) & Marks.Contextual);   // Of() already walked the rest
                if (c is INamedTypeSymbol type)
                    marks |= Own(type) & Marks.Contextual;
            }
            return marks;
        }

        private static Marks Own(ISymbol symbol)
        {
            Marks marks = Marks.None;
            ImmutableArray<AttributeData> attributes = symbol.GetAttributes();
            foreach (AttributeData attribute in attributes)
            {
                INamedTypeSymbol? type = attribute.AttributeClass;
                if (type == null || type.ContainingType != null || !IsAnnotationsNamespace(type.ContainingNamespace))
                    continue;
                switch (type.Name)
                {
                    case "KernelThreadOnlyAttribute": marks |= Marks.KernelThreadOnly; break;
                    case "PopulatedStackAttribute": marks |= Marks.PopulatedStack; break;
                    case "RequiresPreemptionDisabledAttribute": marks |= Marks.RequiresPreemptionDisabled; break;
                    case "RequiresInterruptsDisabledAttribute": marks |= Marks.RequiresInterruptsDisabled; break;
                    case "DisablesPreemptionAttribute": marks |= Marks.DisablesPreemption; break;
                    case "DisablesInterruptsAttribute": marks |= Marks.DisablesInterrupts; break;
                    case "EnablesPreemptionAttribute": marks |= Marks.EnablesPreemption; break;
                    case "EnablesInterruptsAttribute": marks |= Marks.EnablesInterrupts; break;
                    case "MaySleepAttribute": marks |= Marks.MaySleep; break;
                    case "DisablesPreemptionWhenAttribute":
                        marks |= ReturnValue(attribute) ? Marks.DisablesPreemptionWhenTrue : Marks.DisablesPreemptionWhenFalse;
                        break;
                    case "DisablesInterruptsWhenAttribute":
                        marks |= ReturnValue(attribute) ? Marks.DisablesInterruptsWhenTrue : Marks.DisablesInterruptsWhenFalse;
                        break;
                }
            }
            return marks;
        }

        private static bool ReturnValue(AttributeData attribute)
            => attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is bool value ? value : true;

        private static bool IsAnnotationsNamespace(INamespaceSymbol? ns)
            => ns != null && ns.Name == "Annotations" && ns.ContainingNamespace is { Name: "Osv" } parent
               && parent.ContainingNamespace is { IsGlobalNamespace: true };
    }
}
