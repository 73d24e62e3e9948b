using System.Runtime.InteropServices;

namespace Osv.Arch.X64
{
    /// <summary>Where the linker put each part of loader.elf (linker.x64.ld, Boot/boot_data.asm).</summary>
    public static unsafe class BootImage
    {
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_image_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_image_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_text_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_text_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_rodata_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_rodata_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_data_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_data_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_ksyms_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_bootfs_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_bootfs_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_ksyms_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_modules_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_modules_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_tdata_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_tdata_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_tbss_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_tbss_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_boot_stack_guard_address();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_boot_stack_bottom_address();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_boot_stack_top_address();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_security_cookie_address();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_eh_frame_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_eh_frame_end();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_dynamic_start();
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_dynamic_end();

        public static ulong ImageStart => osv_image_start();
        public static ulong ImageEnd => osv_image_end();
        public static ulong TextStart => osv_text_start();
        public static ulong TextEnd => osv_text_end();
        public static ulong ReadOnlyStart => osv_rodata_start();
        public static ulong ReadOnlyEnd => osv_rodata_end();
        public static ulong DataStart => osv_data_start();
        public static ulong DataEnd => osv_data_end();
        public static ulong SymbolsStart => osv_ksyms_start();
        public static ulong SymbolsEnd => osv_ksyms_end();
        /// <summary>The bootfs archive `osv build` embeds (an empty archive without --bootfs-manifest), read-only.</summary>
        public static ulong BootfsStart => osv_bootfs_start();
        public static ulong BootfsEnd => osv_bootfs_end();
        public static void** ModuleHeaders => (void**)osv_modules_start();
        public static int ModuleCount => (int)((osv_modules_end() - osv_modules_start()) / 8);
        public static ulong TlsDataStart => osv_tdata_start();
        public static ulong TlsDataEnd => osv_tdata_end();
        public static ulong TlsZeroEnd => osv_tbss_end();
        public static ulong BootStackGuard => osv_boot_stack_guard_address();
        public static ulong BootStackBottom => osv_boot_stack_bottom_address();
        public static ulong BootStackTop => osv_boot_stack_top_address();
        public static ulong* SecurityCookie => (ulong*)osv_security_cookie_address();

        /// <summary>ILC's DWARF call-frame information: how to unwind every managed method.</summary>
        public static ulong UnwindInfoStart => osv_eh_frame_start();
        public static ulong UnwindInfoEnd => osv_eh_frame_end();

        /// <summary>The image's own .dynamic (PT_DYNAMIC): its exported symbols, for binding applications to the kernel.</summary>
        public static ulong DynamicStart => osv_dynamic_start();
        public static ulong DynamicEnd => osv_dynamic_end();
    }
}
