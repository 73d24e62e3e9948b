; Addresses the linker script defines, as functions C# can call.

%macro address_of 2
global %1
extern %2
%1:
    lea rax, [rel %2]
    ret
%endmacro

section .text
bits 64
address_of osv_image_start, __image_start
address_of osv_image_end, __image_end
address_of osv_text_start, __text_start
address_of osv_text_end, __text_end
address_of osv_rodata_start, __rodata_start
address_of osv_rodata_end, __rodata_end
address_of osv_data_start, __data_start
address_of osv_data_end, __data_end
address_of osv_ksyms_start, __ksyms_start
address_of osv_ksyms_end, __ksyms_end
address_of osv_bootfs_start, __bootfs_start
address_of osv_bootfs_end, __bootfs_end
address_of osv_modules_start, __modules_start
address_of osv_modules_end, __modules_end
address_of osv_tdata_start, __tdata_start
address_of osv_tdata_end, __tdata_end
address_of osv_tbss_start, __tbss_start
address_of osv_tbss_end, __tbss_end
address_of osv_boot_stack_guard_address, osv_boot_stack_guard
address_of osv_boot_stack_bottom_address, osv_boot_stack_bottom
address_of osv_boot_stack_top_address, osv_boot_stack_top
address_of osv_trap_stubs, osv_trap_stub_table
address_of osv_cpu0_idt_address, osv_cpu0_idt
address_of osv_cpu0_gdt_address, osv_cpu0_gdt
address_of osv_cpu0_ist_stacks_address, osv_cpu0_ist_stacks
address_of osv_cpu0_tls_address, osv_cpu0_tls
address_of osv_security_cookie_address, __security_cookie
address_of osv_tls_align, __tls_align
address_of osv_eh_frame_start, __eh_frame_start
address_of osv_eh_frame_end, __eh_frame_end
address_of osv_dynamic_start, __dynamic_start
address_of osv_dynamic_end, __dynamic_end
address_of osv_ap_trampoline_start_address, osv_ap_trampoline_start
address_of osv_ap_trampoline_end_address, osv_ap_trampoline_end
address_of osv_ap_long_mode_address, osv_ap_long_mode
address_of osv_thread_trampoline_address, osv_thread_trampoline
