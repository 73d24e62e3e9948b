namespace System
{
    /// <summary>Field layout required by ILC's delegate construction code.</summary>
    public abstract class Delegate
    {
#pragma warning disable CS0649, CS0169
        internal object? _firstParameter;
        internal object? _helperObject;
        internal nint _extraFunctionPointerOrData;
        internal IntPtr _functionPointer;
#pragma warning restore CS0649, CS0169

        // ILC constructs delegates through these helpers.
        private void InitializeClosedInstance(object firstParameter, IntPtr functionPointer)
        {
            _functionPointer = functionPointer;
            _firstParameter = firstParameter;
        }

        private void InitializeOpenStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _firstParameter = this;
            _functionPointer = functionPointerThunk;
            _extraFunctionPointerOrData = functionPointer;
        }
    }

    public abstract class MulticastDelegate : Delegate { }
}
