using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Runtime
{
    /// <summary>Helpers ILC calls by symbol name: allocation, boxing, write barriers, transitions.</summary>
    internal static unsafe class RuntimeExports
    {
        // ---- allocation ----

        internal static object? NewObject(MethodTable* type)
        {
            void* memory = ObjectAllocator.AllocateZeroed(type->BaseSize);
            if (memory == null)
                return null;
            *(MethodTable**)memory = type;
            return Unsafe.As<byte, object>(ref *(byte*)&memory);
        }

        internal static Array NewArray(MethodTable* type, int length)
        {
            if (length < 0)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowOverflowException();
            nuint size = type->BaseSize + (nuint)(uint)length * type->ComponentSize;
            size = (size + 7) & ~(nuint)7;
            void* memory = ObjectAllocator.AllocateZeroed(size);
            if (memory == null)
                RuntimeFailure.FailFast("out of memory allocating an array");
            *(MethodTable**)memory = type;
            *(int*)((byte*)memory + sizeof(nint)) = length;
            return Unsafe.As<byte, Array>(ref *(byte*)&memory);
        }

        [RuntimeExport("RhpNewFast")]
        private static object RhpNewFast(MethodTable* type)
        {
            object? result = NewObject(type);
            if (result == null)
                RuntimeFailure.FailFast("out of memory allocating an object");
            return result!;
        }

        [RuntimeExport("RhpNewFinalizable")]
        private static object RhpNewFinalizable(MethodTable* type) => RhpNewFast(type);

        [RuntimeExport("RhpNewArray")]
        private static Array RhpNewArray(MethodTable* type, int length) => NewArray(type, length);

        [RuntimeExport("RhpNewArrayFast")]
        private static Array RhpNewArrayFast(MethodTable* type, int length) => NewArray(type, length);

        [RuntimeExport("RhpNewPtrArrayFast")]
        private static Array RhpNewPtrArrayFast(MethodTable* type, int length) => NewArray(type, length);

        [RuntimeExport("RhNewString")]
        private static string RhNewString(MethodTable* type, int length) => Unsafe.As<string>(NewArray(type, length));

        [RuntimeExport("RhNewArray")]
        private static Array RhNewArray(MethodTable* type, int length) => NewArray(type, length);

        // ---- boxing ----

        [RuntimeExport("RhBox")]
        private static object? RhBox(MethodTable* type, ref byte data)
        {
            if (type->IsNullable)
            {
                // Nullable<T>: the bool comes first; box the T or return null.
                if (data == 0)
                    return null;
                MethodTable* underlying = type->NullableType;
                object boxedValue = RhpNewFast(underlying);
                Buffer.Memmove(ref boxedValue.GetRawData(), ref Unsafe.Add(ref data, type->NullableValueOffset), underlying->ValueTypeSize);
                return boxedValue;
            }
            object boxed = RhpNewFast(type);
            Buffer.Memmove(ref boxed.GetRawData(), ref data, type->ValueTypeSize);
            return boxed;
        }

        [RuntimeExport("RhUnboxAny")]
        private static void RhUnboxAny(object? o, ref byte data, MethodTable* type)
        {
            if (type->IsValueType)
                RhUnbox(o, ref data, type);
            else
                Unsafe.As<byte, object?>(ref data) = TypeCast.CheckCastAny(type, o);
        }

        [RuntimeExport("RhUnbox2")]
        private static ref byte RhUnbox2(MethodTable* type, object obj)
        {
            if (obj == null || obj.GetMethodTable() != type)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidCastException();
            return ref obj.GetRawData();
        }

        [RuntimeExport("RhUnboxNullable")]
        private static void RhUnboxNullable(ref byte data, MethodTable* type, object? obj)
        {
            RhUnbox(obj, ref data, type);
        }

        [RuntimeExport("RhUnboxTypeTest")]
        private static void RhUnboxTypeTest(MethodTable* type, MethodTable* boxType)
        {
            if (type != boxType)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidCastException();
        }

        private static void RhUnbox(object? obj, ref byte data, MethodTable* type)
        {
            if (type->IsNullable)
            {
                MethodTable* underlying = type->NullableType;
                if (obj == null)
                {
                    data = 0;
                    return;
                }
                if (obj.GetMethodTable() != underlying)
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidCastException();
                data = 1;
                Buffer.Memmove(ref Unsafe.Add(ref data, type->NullableValueOffset), ref obj.GetRawData(), underlying->ValueTypeSize);
                return;
            }
            if (obj == null || obj.GetMethodTable() != type)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowInvalidCastException();
            Buffer.Memmove(ref data, ref obj!.GetRawData(), type->ValueTypeSize);
        }

        // ---- write barriers: no GC, so a plain store ----

        [RuntimeExport("RhpAssignRef")]
        private static void RhpAssignRef(void** destination, void* value) => *destination = value;

        [RuntimeExport("RhpCheckedAssignRef")]
        private static void RhpCheckedAssignRef(void** destination, void* value) => *destination = value;

        [RuntimeExport("RhpCheckedLockCmpXchg")]
        private static void* RhpCheckedLockCmpXchg(void** destination, void* value, void* comparand)
            => (void*)Threading.Interlocked.CompareExchange(ref *(nint*)destination, (nint)value, (nint)comparand);

        [RuntimeExport("RhpCheckedXchg")]
        private static void* RhpCheckedXchg(void** destination, void* value)
            => (void*)Threading.Interlocked.Exchange(ref *(long*)destination, (long)value);

        [RuntimeExport("RhBulkMoveWithWriteBarrier")]
        private static void RhBulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
            => Buffer.Memmove(ref destination, ref source, byteCount);

        // ---- transitions: cooperative/preemptive mode only matters to a GC ----

        [RuntimeExport("RhpPInvoke")] private static void RhpPInvoke(void* frame) { }
        [RuntimeExport("RhpPInvokeReturn")] private static void RhpPInvokeReturn(void* frame) { }
        [RuntimeExport("RhpReversePInvoke")] private static void RhpReversePInvoke(void* frame) { }
        [RuntimeExport("RhpReversePInvokeReturn")] private static void RhpReversePInvokeReturn(void* frame) { }
        [RuntimeExport("RhpGcPoll")] private static void RhpGcPoll() { }
        [RuntimeExport("RhpGcSafeZeroMemory")] private static void RhpGcSafeZeroMemory(byte* destination, nuint size) => SpanHelpers.ClearWithoutReferences(ref *destination, size);

        // ---- failure ----

        [RuntimeExport("RhpThrowEx")]
        private static void RhpThrowEx(Exception exception) => RuntimeFailure.FailFast(exception.Message);

        [RuntimeExport("RhpRethrow")]
        private static void RhpRethrow() => RuntimeFailure.FailFast("rethrow");

        [RuntimeExport("RhpFallbackFailFast")]
        private static void RhpFallbackFailFast() => RuntimeFailure.FailFast("runtime fail-fast");
    }
}
