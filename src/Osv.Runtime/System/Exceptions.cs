namespace System
{
    /// <summary>
    /// Kernel code does not catch exceptions: `throw` reaches RhpThrowEx, which panics with the message.
    /// The types exist so that code shared with the host flavor can say what went wrong.
    /// </summary>
    public class Exception
    {
        private readonly string? _message;
        public Exception() { }
        public Exception(string? message) { _message = message; }
        public string Message => _message ?? "exception thrown";
    }

    public class SystemException : Exception
    {
        public SystemException(string? message) : base(message) { }
    }

    public sealed class IndexOutOfRangeException : SystemException
    {
        public IndexOutOfRangeException() : base("index out of range") { }
    }

    public class ArgumentException : SystemException
    {
        public ArgumentException() : base("argument out of range") { }
        public ArgumentException(string? message) : base(message) { }
    }

    public sealed class ArgumentOutOfRangeException : ArgumentException
    {
        public ArgumentOutOfRangeException() : base("argument out of range") { }
    }

    public sealed class InvalidOperationException : SystemException
    {
        public InvalidOperationException() : base("invalid operation") { }
        public InvalidOperationException(string? message) : base(message) { }
    }

    public sealed class NotSupportedException : SystemException
    {
        public NotSupportedException() : base("not supported") { }
        public NotSupportedException(string? message) : base(message) { }
    }

    public sealed class PlatformNotSupportedException : SystemException
    {
        public PlatformNotSupportedException() : base("platform not supported") { }
    }

    public sealed class NotImplementedException : SystemException
    {
        public NotImplementedException() : base("not implemented") { }
    }

    public sealed class NullReferenceException : SystemException
    {
        public NullReferenceException() : base("null reference") { }
    }
}
