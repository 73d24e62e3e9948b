using System.Diagnostics.CodeAnalysis;

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>
    /// Targets of the checks ILC emits (bounds, null, overflow, casts). In the kernel each is a panic:
    /// a failed check is a kernel bug, never an application's doing.
    /// </summary>
    internal static class ThrowHelpers
    {
        [DoesNotReturn] public static void ThrowOverflowException() => RuntimeFailure.FailFast("arithmetic overflow");
        [DoesNotReturn] public static void ThrowIndexOutOfRangeException() => RuntimeFailure.FailFast("index out of range");
        [DoesNotReturn] public static void ThrowNullReferenceException() => RuntimeFailure.FailFast("null reference");
        [DoesNotReturn] public static void ThrowDivideByZeroException() => RuntimeFailure.FailFast("divide by zero");
        [DoesNotReturn] public static void ThrowArrayTypeMismatchException() => RuntimeFailure.FailFast("array type mismatch");
        [DoesNotReturn] public static void ThrowPlatformNotSupportedException() => RuntimeFailure.FailFast("platform not supported");
        [DoesNotReturn] public static void ThrowNotImplementedException() => RuntimeFailure.FailFast("not implemented");
        [DoesNotReturn] public static void ThrowNotSupportedException() => RuntimeFailure.FailFast("not supported");
        [DoesNotReturn] public static void ThrowBadImageFormatException(int resourceId) => RuntimeFailure.FailFast("bad image format");
        [DoesNotReturn] public static void ThrowTypeLoadException(int resourceId, string className, string typeName) => RuntimeFailure.FailFast("type load failure");
        [DoesNotReturn] public static void ThrowTypeLoadExceptionWithArgument(int resourceId, string className, string typeName, string messageArgument) => RuntimeFailure.FailFast("type load failure");
        [DoesNotReturn] public static void ThrowMissingMethodException(int resourceId, string methodName) => RuntimeFailure.FailFast("missing method");
        [DoesNotReturn] public static void ThrowMissingFieldException(int resourceId, string fieldName) => RuntimeFailure.FailFast("missing field");
        [DoesNotReturn] public static void ThrowFileNotFoundException(int resourceId, string fileName) => RuntimeFailure.FailFast("file not found");
        [DoesNotReturn] public static void ThrowInvalidProgramException(int resourceId) => RuntimeFailure.FailFast("invalid program");
        [DoesNotReturn] public static void ThrowInvalidProgramExceptionWithArgument(int resourceId, string methodName) => RuntimeFailure.FailFast("invalid program");
        [DoesNotReturn] public static void ThrowMarshalDirectiveException(int resourceId, string argument) => RuntimeFailure.FailFast("marshal directive");
        [DoesNotReturn] public static void ThrowAmbiguousMatchException(int resourceId) => RuntimeFailure.FailFast("ambiguous match");
        [DoesNotReturn] public static void ThrowArgumentException() => RuntimeFailure.FailFast("invalid argument");
        [DoesNotReturn] public static void ThrowArgumentOutOfRangeException() => RuntimeFailure.FailFast("argument out of range");
        [DoesNotReturn] public static void ThrowInvalidCastException() => RuntimeFailure.FailFast("invalid cast");
        [DoesNotReturn] public static void ThrowFeatureBodyRemoved() => RuntimeFailure.FailFast("feature body removed by the compiler");
        [DoesNotReturn] public static void ThrowInstanceBodyRemoved() => RuntimeFailure.FailFast("instance body removed by the compiler");
        [DoesNotReturn] public static void ThrowUnavailableType() => RuntimeFailure.FailFast("unavailable type");
    }
}
