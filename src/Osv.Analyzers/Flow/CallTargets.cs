using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Osv.Analyzers.Flow
{
    /// <summary>
    /// The methods an operation calls directly: invocations (also the implicit ones a control-flow graph
    /// spells out: a `using`'s Dispose, a `foreach`'s GetEnumerator/MoveNext/Current, a `lock`), object
    /// creation (constructors), property and indexer accessors, event accessors, user-defined operators
    /// and conversions. Delegate and function-pointer invocations have no known target.
    /// </summary>
    internal static class CallTargets
    {
        public static void Collect(IOperation operation, List<IMethodSymbol> targets)
        {
            targets.Clear();
            switch (operation)
            {
                case IInvocationOperation invocation:
                    targets.Add(invocation.TargetMethod);
                    // `using` on a struct or class: the graph calls IDisposable.Dispose on a conversion of the
                    // resource; the method that runs is the resource type's implementation.
                    if (invocation.TargetMethod.ContainingType?.TypeKind == TypeKind.Interface && invocation.Instance != null)
                    {
                        ITypeSymbol? concrete = UnwrapImplicitConversions(invocation.Instance).Type;
                        if (concrete != null && concrete.TypeKind != TypeKind.Interface && concrete.TypeKind != TypeKind.TypeParameter
                            && concrete.FindImplementationForInterfaceMember(invocation.TargetMethod) is IMethodSymbol implementation)
                            targets.Add(implementation);
                    }
                    break;
                case IObjectCreationOperation creation when creation.Constructor != null:
                    targets.Add(creation.Constructor);
                    break;
                case IPropertyReferenceOperation property:
                    AddAccessors(property, targets);
                    break;
                case IEventAssignmentOperation eventAssignment when eventAssignment.EventReference is IEventReferenceOperation eventReference:
                    IMethodSymbol? accessor = eventAssignment.Adds ? eventReference.Event.AddMethod : eventReference.Event.RemoveMethod;
                    if (accessor != null)
                        targets.Add(accessor);
                    break;
                case IBinaryOperation binary when binary.OperatorMethod != null:
                    targets.Add(binary.OperatorMethod);
                    break;
                case IUnaryOperation unary when unary.OperatorMethod != null:
                    targets.Add(unary.OperatorMethod);
                    break;
                case ICompoundAssignmentOperation compound when compound.OperatorMethod != null:
                    targets.Add(compound.OperatorMethod);
                    break;
                case IIncrementOrDecrementOperation increment when increment.OperatorMethod != null:
                    targets.Add(increment.OperatorMethod);
                    break;
                case IConversionOperation conversion when conversion.OperatorMethod != null:
                    targets.Add(conversion.OperatorMethod);
                    break;
            }
        }

        private static void AddAccessors(IPropertyReferenceOperation property, List<IMethodSymbol> targets)
        {
            IPropertySymbol symbol = property.Property;
            IOperation? parent = property.Parent;
            bool isTarget = parent is IAssignmentOperation assignment && assignment.Target == property;
            bool reads = !isTarget || parent is ICompoundAssignmentOperation || parent is ICoalesceAssignmentOperation;
            bool writes = isTarget || (parent is IIncrementOrDecrementOperation);
            if (parent is IIncrementOrDecrementOperation)
                reads = true;
            if (symbol.ReturnsByRef || symbol.ReturnsByRefReadonly)
            {
                reads = true;
                writes = false;
            }
            if (reads && symbol.GetMethod != null)
                targets.Add(symbol.GetMethod);
            if (writes && symbol.SetMethod != null)
                targets.Add(symbol.SetMethod);
        }

        public static IOperation UnwrapImplicitConversions(IOperation operation)
        {
            while (operation is IConversionOperation { IsImplicit: true } conversion)
                operation = conversion.Operand;
            return operation;
        }
    }
}
