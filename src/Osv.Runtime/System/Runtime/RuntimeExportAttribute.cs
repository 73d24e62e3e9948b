namespace System.Runtime
{
    /// <summary>ILC emits the method under this global symbol name (runtime helpers ILC calls by name).</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class RuntimeExportAttribute : Attribute
    {
        public RuntimeExportAttribute(string entry) { }
    }

    /// <summary>Binds an extern method to a native symbol of the image.</summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class RuntimeImportAttribute : Attribute
    {
        public RuntimeImportAttribute(string lib) { }
        public RuntimeImportAttribute(string lib, string entry) { }
    }
}
