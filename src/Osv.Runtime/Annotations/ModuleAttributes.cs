using System;

namespace Osv.Annotations
{
    /// <summary>
    /// Marks the assembly as a kernel module (a separately loaded shared object such as
    /// libsolaris.so): it may use only the C module API (exported_symbols/module_api.symbols) and
    /// the libc ABI, never kernel internals (analyzer rule OSV5002). The MSBuild property
    /// <c>&lt;OsvModule&gt;true&lt;/OsvModule&gt;</c> says the same.
    /// </summary>
    [AttributeUsage(AttributeTargets.Assembly, Inherited = false)]
    public sealed class OsvModuleAttribute : Attribute { }
}
