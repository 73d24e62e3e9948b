using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Arch.X64.Interrupts
{
    /// <summary>
    /// Entry from Boot/traps.asm. Interrupt vectors go to registered handlers; exceptions without a
    /// handler go to the fatal handler (the kernel's panic). Upper layers register; this layer never calls up.
    /// </summary>
    public static unsafe class TrapDispatcher
    {
        private static delegate*<TrapFrame*, void> s_fatalHandler;
        private static delegate*<TrapFrame*, void> s_timerHandler;
        private static byte s_timerVector;

        public static void RegisterFatalHandler(delegate*<TrapFrame*, void> handler) => s_fatalHandler = handler;

        public static void RegisterTimer(byte vector, delegate*<TrapFrame*, void> handler)
        {
            s_timerVector = vector;
            s_timerHandler = handler;
        }

        [PopulatedStack] // entered from Boot/traps.asm on an IST stack
        [UnmanagedCallersOnly(EntryPoint = "osv_trap_dispatch")]
        [InternalEntryPoint("Boot/traps.asm")]
        private static void Dispatch(TrapFrame* frame)
        {
            if (frame->Vector == s_timerVector && s_timerHandler != null)
            {
                s_timerHandler(frame);
                return;
            }
            if (frame->Vector == LocalApic.SpuriousVector)
                return;
            if (s_fatalHandler != null)
                s_fatalHandler(frame);
            Cpu.HaltForever();
        }
    }
}
