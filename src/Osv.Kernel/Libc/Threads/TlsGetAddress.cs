using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Core.Elf;

namespace Osv.Kernel.Libc.Threads
{
    /// <summary>
    /// <c>__tls_get_addr</c>: general- and local-dynamic TLS accesses (shared objects, -fPIC code) pass a
    /// <c>tls_index {module, offset}</c> that DTPMOD64/DTPOFF64 relocations filled. Every module with TLS
    /// has a static block today (<see cref="StaticTlsLayout"/>), so the answer is thread pointer + the
    /// module's block offset + offset, with no dynamic vector. An unknown module answers 0.
    /// </summary>
    internal static unsafe class TlsGetAddress
    {
        [OsvApi("ld-linux-x86-64.so.2")]
        [UnmanagedCallersOnly(EntryPoint = "__tls_get_addr")]
        public static void* Get(ulong* index) => (void*)DynamicLinker.TlsAddress(ThreadBlocks.Current, index[0], index[1]); // tls_index: module, offset
    }
}
