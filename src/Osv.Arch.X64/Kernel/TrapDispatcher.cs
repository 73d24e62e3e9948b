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

        private const int MaxPageFaultHandlers = 4;

        private struct PageFaultHandlers
        {
            public fixed ulong Handlers[MaxPageFaultHandlers];
            public int Count;
        }

        private static delegate*<TrapFrame*, void> s_fatalHandler;
        private static PageFaultHandlers s_pageFaultHandlers;

        /// <summary>
        /// Adds a page-fault handler (lazy stacks, application memory...). Each gets the faults the ones
        /// before it declined, in registration order; true means it resolved the fault (the access is
        /// retried). False when the table is full.
        /// </summary>
        public static bool RegisterPageFaultHandler(delegate*<TrapFrame*, bool> handler)
        {
            fixed (PageFaultHandlers* handlers = &s_pageFaultHandlers)
            {
                if (handlers->Count == MaxPageFaultHandlers)
                    return false;
                handlers->Handlers[handlers->Count++] = (ulong)handler;
                return true;
            }
        }

        private static bool ResolvePageFault(TrapFrame* frame)
        {
            fixed (PageFaultHandlers* handlers = &s_pageFaultHandlers)
            {
                for (int i = 0; i < handlers->Count; i++)
                {
                    if (((delegate*<TrapFrame*, bool>)handlers->Handlers[i])(frame))
                        return true;
                }
            }
            return false;
        }

        private static HandlerTable s_handlers;
        private static delegate*<TrapFrame*, bool> s_programFaultHandler;

        /// <summary>
        /// Takes the exceptions that no other handler resolved before they reach the fatal handler: true
        /// means it took over (a program's fault becomes a signal), false lets the kernel panic.
        /// </summary>
        public static void RegisterProgramFaultHandler(delegate*<TrapFrame*, bool> handler) => s_programFaultHandler = handler;

        private static delegate*<TrapFrame*, void> s_interruptReturn;

        /// <summary>
        /// Called after every external interrupt's handler, just before the interrupted thread resumes
        /// (after a preemption: when it runs again), with its frame: the Linux layer ends the threads of
        /// an ending program there.
        /// </summary>
        public static void RegisterInterruptReturn(delegate*<TrapFrame*, void> hook) => s_interruptReturn = hook;

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
            if (vector == ExceptionVectors.PageFault && ResolvePageFault(frame))
                return;
            if (vector < 256)
            {
                ulong handler;
                fixed (HandlerTable* table = &s_handlers)
                    handler = table->Handlers[vector];
                if (handler != 0)
                {
                    ((delegate*<TrapFrame*, void>)handler)(frame);
                    if (s_interruptReturn != null)
                        s_interruptReturn(frame);
                    return;
                }
            }
            if (ExceptionVectors.IsException(vector) && s_programFaultHandler != null && s_programFaultHandler(frame))
                return;
            if (s_fatalHandler != null)
                s_fatalHandler(frame);
            Cpu.HaltForever();
        }
    }
}
