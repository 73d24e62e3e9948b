using System.Runtime.CompilerServices;
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;

namespace System.Runtime
{
    /// <summary>
    /// Casting helpers ILC calls for `is`, `as`, casts and covariant array stores.
    /// Exact for classes, interfaces and arrays of them; generic variance is not supported
    /// (the kernel does not use variant generic interfaces).
    /// </summary>
    internal static unsafe class TypeCast
    {
        internal static bool IsAssignable(MethodTable* source, MethodTable* target)
        {
            if (source == target)
                return true;
            if (target->IsInterface)
                return ImplementsInterface(source, target);
            if (source->IsArray)
            {
                if (!target->IsArray)
                    return IsClassDerivedFrom(source, target); // System.Array, Object
                if (source->ElementType != target->ElementType)
                    return false;
                MethodTable* sourceElement = source->RelatedType;
                MethodTable* targetElement = target->RelatedType;
                if (sourceElement->IsValueType || targetElement->IsValueType)
                    return sourceElement == targetElement;
                return IsAssignable(sourceElement, targetElement);
            }
            return IsClassDerivedFrom(source, target);
        }

        private static bool IsClassDerivedFrom(MethodTable* source, MethodTable* target)
        {
            // An array's related type is its element type, not its base: arrays convert to Array and Object.
            if (source->IsParameterized)
                return target == MethodTable.Of<object>() || target == MethodTable.Of<Array>();
            for (MethodTable* current = source->BaseType; current != null; current = current->BaseType)
            {
                if (current == target)
                    return true;
            }
            return false;
        }

        private static bool ImplementsInterface(MethodTable* source, MethodTable* target)
        {
            MethodTable** map = source->InterfaceMap;
            for (int i = 0; i < source->NumInterfaces; i++)
            {
                if (map[i] == target)
                    return true;
            }
            return false;
        }

        // ---- is / as ----

        public static object? IsInstanceOfClass(MethodTable* target, object? obj)
            => obj == null || IsAssignable(obj.GetMethodTable(), target) ? obj : null;

        public static object? IsInstanceOfInterface(MethodTable* target, object? obj)
            => obj == null || ImplementsInterface(obj.GetMethodTable(), target) ? obj : null;

        public static object? IsInstanceOfAny(MethodTable* target, object? obj)
            => obj == null || IsAssignable(obj.GetMethodTable(), target) ? obj : null;

        public static object? IsInstanceOfException(MethodTable* target, object? obj)
            => IsInstanceOfClass(target, obj);

        // ---- casts ----

        public static object? CheckCastAny(MethodTable* target, object? obj)
        {
            if (obj != null && !IsAssignable(obj.GetMethodTable(), target))
                ThrowHelpers.ThrowInvalidCastException();
            return obj;
        }

        public static object? CheckCastInterface(MethodTable* target, object? obj) => CheckCastAny(target, obj);
        public static object? CheckCastClass(MethodTable* target, object? obj) => CheckCastAny(target, obj);
        public static object? CheckCastClassSpecial(MethodTable* target, object? obj) => CheckCastAny(target, obj);

        // ---- arrays of references ----

        private struct ArrayElement
        {
            public object? Value;
        }

        public static void StelemRef(object?[] array, nint index, object? obj)
        {
            if ((nuint)index >= (uint)array.Length)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            ref object? element = ref Unsafe.As<ArrayElement[]>(array)[index].Value;
            if (obj != null)
            {
                MethodTable* elementType = array.GetMethodTable()->RelatedType;
                if (!IsAssignable(obj.GetMethodTable(), elementType))
                    ThrowHelpers.ThrowArrayTypeMismatchException();
            }
            element = obj;
        }

        public static ref object? LdelemaRef(object?[] array, nint index, MethodTable* elementType)
        {
            if ((nuint)index >= (uint)array.Length)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            if (array.GetMethodTable()->RelatedType != elementType)
                ThrowHelpers.ThrowArrayTypeMismatchException();
            return ref Unsafe.As<ArrayElement[]>(array)[index].Value;
        }
    }
}
