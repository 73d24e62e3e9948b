using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Osv.Analyzers.Flow
{
    /// <summary>
    /// Heap allocations a reader does not see as `new` — and `new` of a reference type, which is one too.
    /// Each returns what allocates ("boxing", "closure", ...) or null.
    /// Not allocations: `new` of a struct, stackalloc, a non-capturing lambda or static method group
    /// (the compiler caches the delegate), a local function called directly (its closure is a struct),
    /// `params` with no arguments (Array.Empty), `params ReadOnlySpan&lt;T&gt;`, collection expressions
    /// targeting Span/ReadOnlySpan, constant strings, constant primitive arrays converted straight to
    /// ReadOnlySpan (static data), interpolated strings passed to a custom (struct) handler, a `using`'s
    /// or constrained call's interface conversion of a struct.
    /// </summary>
    internal static class HiddenAllocations
    {
        public static string? Describe(IOperation operation, FlowSession session)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    return IsBoxing(conversion) ? "boxing of " + Display(conversion.Operand.Type) : null;

                case IInvocationOperation { TargetMethod.Name: "<Clone>$" } clone when clone.Type is { IsReferenceType: true }:
                    return "record copy";   // `with` on a record class, as the control-flow graph spells it

                case IInvocationOperation invocation:
                    return BoxesReceiver(invocation) ? "boxing of " + Display(invocation.Instance!.Type) + " for " + invocation.TargetMethod.Name + "()" : null;

                case IBinaryOperation binary:
                    return IsStringConcatenation(binary) && !(binary.Parent is IBinaryOperation parent && IsStringConcatenation(parent))
                        ? "string concatenation" : null;

                case ICompoundAssignmentOperation compound:
                    return compound.OperatorKind == BinaryOperatorKind.Add && compound.OperatorMethod == null
                           && compound.Type?.SpecialType == SpecialType.System_String ? "string concatenation" : null;

                case IInterpolatedStringOperation interpolated:
                    if (interpolated.ConstantValue.HasValue || interpolated.Parent is IInterpolatedStringHandlerCreationOperation)
                        return null;
                    return interpolated.Type?.SpecialType == SpecialType.System_String ? "string interpolation" : null;

                case IObjectCreationOperation creation:
                    return creation.Type != null && creation.Type.IsReferenceType ? "new " + Display(creation.Type) : null;

                case IAnonymousObjectCreationOperation:
                    return "anonymous object";

                case ITypeParameterObjectCreationOperation typeParameterCreation:
                    return typeParameterCreation.Type is ITypeParameterSymbol { HasValueTypeConstraint: false, HasUnmanagedTypeConstraint: false }
                        ? "new " + Display(typeParameterCreation.Type) : null;

                case IWithOperation with:
                    return with.Type != null && with.Type.IsReferenceType ? "record copy" : null;

                case IArrayCreationOperation array:
                    return DescribeArray(array);

                case ICollectionExpressionOperation collection:
                    return CollectionAllocates(collection) ? "collection expression (" + Display(collection.Type) + ")" : null;

                case IDelegateCreationOperation creation:
                    return DescribeDelegate(creation, session);
            }
            return null;
        }

        private static string Display(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";

        private static bool IsBoxing(IConversionOperation conversion)
        {
            if (conversion.Language != LanguageNames.CSharp || !conversion.GetConversion().IsBoxing)
                return false;
            if (conversion.IsImplicit)
            {
                IOperation? parent = conversion.Parent;
                // A struct receiver of an interface call (`using`, foreach, generic): a constrained call, no box.
                if (parent is IInvocationOperation invocation && invocation.Instance == conversion)
                    return false;
                if (parent is IPropertyReferenceOperation property && property.Instance == conversion)
                    return false;
                // `"n = " + n`: the compiler calls ToString and Concat(string, string); reported as concatenation.
                if (parent is IBinaryOperation binary && IsStringConcatenation(binary))
                    return false;
                if (parent is ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound && compound.Type?.SpecialType == SpecialType.System_String)
                    return false;
            }
            return true;
        }

        /// <summary>A value type's inherited object/ValueType/Enum virtual (ToString, GetHashCode, Equals) or GetType boxes the receiver.</summary>
        private static bool BoxesReceiver(IInvocationOperation invocation)
        {
            IOperation? instance = invocation.Instance;
            if (instance?.Type == null || !instance.Type.IsValueType)
                return false;
            INamedTypeSymbol? declaring = invocation.TargetMethod.ContainingType;
            if (declaring == null)
                return false;
            return declaring.SpecialType == SpecialType.System_Object || declaring.SpecialType == SpecialType.System_ValueType
                   || declaring.SpecialType == SpecialType.System_Enum;
        }

        private static bool IsStringConcatenation(IBinaryOperation binary)
            => binary.OperatorKind == BinaryOperatorKind.Add && binary.OperatorMethod == null
               && binary.Type?.SpecialType == SpecialType.System_String && !binary.ConstantValue.HasValue;

        private static string? DescribeArray(IArrayCreationOperation array)
        {
            if (array.IsImplicit && array.Parent is IArgumentOperation { ArgumentKind: ArgumentKind.ParamArray })
            {
                // No arguments: the compiler passes Array.Empty<T>().
                bool empty = array.DimensionSizes.Length == 1 && array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: 0 };
                return empty ? null : "params array";
            }
            if (IsStaticDataSpan(array))
                return null;
            return "array creation";
        }

        /// <summary>`ReadOnlySpan&lt;byte&gt; s = new byte[] { 1, 2 };`: constant primitive data, no allocation.</summary>
        private static bool IsStaticDataSpan(IArrayCreationOperation array)
        {
            if (!(array.Parent is IConversionOperation conversion) || !IsReadOnlySpan(conversion.Type))
                return false;
            if (array.Initializer == null || !(array.Type is IArrayTypeSymbol { Rank: 1 } arrayType) || !IsPrimitive(arrayType.ElementType))
                return false;
            foreach (IOperation element in array.Initializer.ElementValues)
            {
                if (!element.ConstantValue.HasValue)
                    return false;
            }
            return true;
        }

        private static bool IsPrimitive(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType && enumType.EnumUnderlyingType != null)
                type = enumType.EnumUnderlyingType;
            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean:
                case SpecialType.System_Byte:
                case SpecialType.System_SByte:
                case SpecialType.System_Char:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                    return true;
                default:
                    return false;
            }
        }

        private static bool IsReadOnlySpan(ITypeSymbol? type)
            => type is INamedTypeSymbol { Name: "ReadOnlySpan", Arity: 1 } named && named.ContainingNamespace is { Name: "System" } ns
               && ns.ContainingNamespace is { IsGlobalNamespace: true };

        private static bool IsSpanLike(ITypeSymbol? type)
            => type is INamedTypeSymbol { Arity: 1 } named && (named.Name == "Span" || named.Name == "ReadOnlySpan")
               && named.ContainingNamespace is { Name: "System" } ns && ns.ContainingNamespace is { IsGlobalNamespace: true };

        private static bool CollectionAllocates(ICollectionExpressionOperation collection)
        {
            ITypeSymbol? type = collection.Type;
            if (type == null || IsSpanLike(type))
                return false;
            bool empty = collection.Elements.IsEmpty;
            if (type is IArrayTypeSymbol)
                return !empty;   // [] is Array.Empty<T>()
            if (type.TypeKind == TypeKind.Interface)
            {
                // Empty read-only interfaces get Array.Empty<T>(); mutable ones a new List<T>.
                string name = type.Name;
                bool readOnly = name == "IEnumerable" || name == "IReadOnlyCollection" || name == "IReadOnlyList";
                return !(empty && readOnly);
            }
            if (type.IsReferenceType)
                return true;
            return !empty;   // a struct wrapper (ImmutableArray<T>) over an array
        }

        private static string? DescribeDelegate(IDelegateCreationOperation creation, FlowSession session)
        {
            bool explicitNew = creation.Syntax is ObjectCreationExpressionSyntax || creation.Syntax is ImplicitObjectCreationExpressionSyntax;
            switch (creation.Target)
            {
                case IFlowAnonymousFunctionOperation lambda:
                    return session.Captures(lambda.Symbol) ? "closure (lambda capture)" : (explicitNew ? "delegate" : null);
                case IAnonymousFunctionOperation anonymous:
                    return session.Captures(anonymous.Symbol) ? "closure (lambda capture)" : (explicitNew ? "delegate" : null);
                case IMethodReferenceOperation reference:
                    IMethodSymbol method = reference.Method;
                    if (method.MethodKind == MethodKind.LocalFunction)
                        return session.Captures(method) ? "closure (local function capture)" : (explicitNew ? "delegate" : null);
                    if (!method.IsStatic || method.IsExtensionMethod && reference.Instance != null)
                        return "delegate (instance method group)";
                    return explicitNew ? "delegate" : null;
                default:
                    return "delegate";
            }
        }
    }
}
