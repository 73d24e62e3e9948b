namespace Osv.Arch.X64.Interrupts
{
    /// <summary>The x86 exception vectors, by the names the panic report prints.</summary>
    public static class ExceptionVectors
    {
        public const int DivideError = 0;
        public const int Breakpoint = 3;
        public const int InvalidOpcode = 6;
        public const int DoubleFault = 8;
        public const int GeneralProtection = 13;
        public const int PageFault = 14;
        public const int FirstExternal = 32;

        public static bool IsException(ulong vector) => vector < FirstExternal;

        /// <summary>"page fault (#PF, vector 14)" style description.</summary>
        public static string Describe(ulong vector) => vector switch
        {
            0 => "divide error (#DE, vector 0)",
            1 => "debug (#DB, vector 1)",
            2 => "non-maskable interrupt (NMI, vector 2)",
            3 => "breakpoint (#BP, vector 3)",
            4 => "overflow (#OF, vector 4)",
            5 => "bound range exceeded (#BR, vector 5)",
            6 => "invalid opcode (#UD, vector 6)",
            7 => "device not available (#NM, vector 7)",
            8 => "double fault (#DF, vector 8)",
            10 => "invalid TSS (#TS, vector 10)",
            11 => "segment not present (#NP, vector 11)",
            12 => "stack-segment fault (#SS, vector 12)",
            13 => "general protection fault (#GP, vector 13)",
            14 => "page fault (#PF, vector 14)",
            16 => "x87 floating-point error (#MF, vector 16)",
            17 => "alignment check (#AC, vector 17)",
            18 => "machine check (#MC, vector 18)",
            19 => "SIMD floating-point error (#XM, vector 19)",
            20 => "virtualization exception (#VE, vector 20)",
            21 => "control protection (#CP, vector 21)",
            28 => "hypervisor injection (#HV, vector 28)",
            29 => "VMM communication (#VC, vector 29)",
            30 => "security exception (#SX, vector 30)",
            _ => vector < 32 ? "reserved exception" : "unexpected interrupt",
        };
    }
}
