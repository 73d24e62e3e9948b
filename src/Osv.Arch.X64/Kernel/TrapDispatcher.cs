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
        private struct HandlerTable
        {
            public fixed ulong Handlers[256];
        }

        private static delegate*<TrapFrame*, void> s_fatalHandler;
        private static delegate*<TrapFrame*, bool> s_pageFaultHandler;

        /// <summary>Gets every page fault first; returns true when it resolved the fault (the access is retried).</summary>
        public static void RegisterPageFaultHandler(delegate*<TrapFrame*, bool> handler) => s_pageFaultHandler = handler;
        private static HandlerTable s_handlers;

        public static void RegisterFatalHandler(delegate*<TrapFrame*, void> handler) => s_fatalHandler = handler;

        /// <summary>Routes an external interrupt vector (32-255) to <paramref name="handler"/>, which must acknowledge it.</summary>
        public static bool Register(byte vector, delegate*<TrapFrame*, void> handler)
        {
            if (vector < ExceptionVectors.FirstExternal)
                return false;
            fixed (HandlerTable* table = &s_handlers)
                table->Handlers[vector] = (ulong)handler;
            return true;
        }

        [PopulatedStack] // entered from Boot/traps.asm on an IST stack
        [UnmanagedCallersOnly(EntryPoint = "osv_trap_dispatch")]
        [InternalEntryPoint("Boot/traps.asm")]
        private static void Dispatch(TrapFrame* frame)
        {
            ulong vector = frame->Vector;
            if (vector == LocalApic.SpuriousVector)
                return;
            if (vector == ExceptionVectors.PageFault && s_pageFaultHandler != null && s_pageFaultHandler(frame))
                return;
            if (vector < 256)
            {
                ulong handler;
                fixed (HandlerTable* table = &s_handlers)
                    handler = table->Handlers[vector];
                if (handler != 0)
                {
                    ((delegate*<TrapFrame*, void>)handler)(frame);
                    return;
                }
            }
            if (s_fatalHandler != null)
                s_fatalHandler(frame);
            Cpu.HaltForever();
        }
    }
}
