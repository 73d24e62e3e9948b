using System.Runtime.InteropServices;

namespace Osv.Kernel
{
    public static unsafe class KernelMain
    {
        [DllImport("*"), SuppressGCTransition] private static extern void osv_outb(ushort port, byte value);

        [UnmanagedCallersOnly(EntryPoint = "osv_kernel_main")]
        public static void Main(uint startInfo, ulong bootTsc)
        {
            string banner = "OSv# hello\n";
            for (int i = 0; i < banner.Length; i++)
                osv_outb(0x3f8, (byte)banner[i]);
            osv_outl(0xf4, 0);
        }

        [DllImport("*"), SuppressGCTransition] private static extern void osv_outl(ushort port, uint value);
    }
}
