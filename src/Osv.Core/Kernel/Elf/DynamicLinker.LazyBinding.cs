using System;
using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Core.Console;

namespace Osv.Core.Elf
{
    /// <summary>
    /// The run-time half of lazy PLT binding (<see cref="LazyBinding"/>): a function the load left unbound is
    /// looked up at its first call, against the global scope as it is then (a dlopen may have brought it), its
    /// GOT slot written, and the call goes on. Still missing: glibc's `symbol lookup error` line and status 127,
    /// the way ld.so's fatal error ends a program (as _exit: no atexit handlers, no flushing).
    /// </summary>
    public static unsafe partial class DynamicLinker
    {
        [DllImport("*"), SuppressGCTransition] private static extern ulong osv_lazy_binding_trampoline_address();

        private static bool s_bindNowRequested;

        /// <summary>LD_BIND_NOW for the programs linked from now on: every object binds as if it asked for BIND_NOW.</summary>
        public static void RequestBindNow(bool requested) => s_bindNowRequested = requested;

        /// <summary>What glibc's ld.so exits with when a lazily bound symbol cannot be found.</summary>
        private const int SymbolLookupErrorStatus = 127;

        /// <summary>
        /// Called by the trampoline with what the PLT pushed: the object's record (its GOT[1]) and the index of
        /// the JUMP_SLOT in its DT_JMPREL. Returns the function to jump to; never returns when there is none.
        /// </summary>
        [UnmanagedCallersOnly(EntryPoint = "osv_resolve_lazy_slot")]
        [InternalEntryPoint("Boot/lazy_binding.asm: osv_lazy_binding_trampoline")]
        private static ulong ResolveLazySlot(ulong objectId, ulong relocationIndex)
        {
            LibraryRecord* record = LazilyBoundObject(objectId);
            if (record == null || !RelaTable.PltRelocations(record->Dynamic).TryGet(relocationIndex, out RelaEntry entry)
                || entry.X64Type != X64RelocationType.JumpSlot || !record->Dynamic.View.TryGetWritablePointer(entry.Offset, 8, out byte* slot))
            {
                KernelConsole.Write("symbol lookup error: a PLT call the dynamic linker cannot place\n"u8);
                EndProgram();
                return 0;
            }
            ElfError error = KernelSymbols(out DynamicSymbols kernel);
            DynamicSymbols executableSymbols = s_executableSymbols;
            // finished libraries only: dlopen may be placing one
            SymbolScope scope = GlobalScope(&executableSymbols, s_executableBias, s_executableTlsModuleId, s_executableTlsBlockOffset,
                Volatile.Read(ref s_published), error.IsOk ? &kernel : null);
            RelocationContext context = default;
            context.Image = record->Dynamic.View;
            context.LoadBias = record->Bias;
            context.Resolve = &SymbolScope.Resolve;
            context.ResolverState = &scope;
            context.CallIfuncResolver = &CallIfuncResolver;
            context.ObjectName = new ReadOnlySpan<byte>(record->Path, record->PathLength);
            error = RelocationPlanner.Plan(entry, (int)relocationIndex, record->Symbols, context, out PlannedStore store);
            if (!error.IsOk)
            {
                ReportLookupError(error);
                EndProgram();
                return 0;
            }
            Volatile.Write(ref *(ulong*)slot, store.Value); // another thread binding the same slot writes the same value
            return store.Value;
        }

        /// <summary>The record a PLT0 pushed: the executable's or a library's, nothing else.</summary>
        private static LibraryRecord* LazilyBoundObject(ulong objectId)
        {
            if (s_libraries == null)
                return null;
            if (objectId == (ulong)(s_libraries + ExecutableSlot))
                return Volatile.Read(ref s_hasExecutable) ? s_libraries + ExecutableSlot : null;
            for (int i = 0; i < s_libraryCount; i++)
            {
                if (objectId == (ulong)(s_libraries + i))
                    return s_libraries + i;
            }
            return null;
        }

        /// <summary>glibc's line: `/app: symbol lookup error: /app: undefined symbol: strfry, version GLIBC_2.2.5`, written whole.</summary>
        private static void ReportLookupError(in ElfError error)
        {
            Span<byte> line = stackalloc byte[MessageCapacity];
            int length = 0;
            LibraryRecord* executable = s_libraries + ExecutableSlot;
            Put(line, ref length, new ReadOnlySpan<byte>(executable->Path, executable->PathLength));
            Put(line, ref length, ": symbol lookup error: "u8);
            Put(line, ref length, error.ObjectName);
            if (error.Status == ElfStatus.UndefinedSymbol)
            {
                Put(line, ref length, ": undefined symbol: "u8);
                Put(line, ref length, error.SymbolName);
                if (!error.SymbolVersion.IsEmpty)
                {
                    Put(line, ref length, ", version "u8);
                    Put(line, ref length, error.SymbolVersion);
                }
            }
            else
            {
                Put(line, ref length, ": cannot bind a PLT slot"u8);
            }
            if (length == line.Length)
                length--;
            line[length++] = (byte)'\n';
            KernelConsole.Write(line.Slice(0, length));
        }

        private static void Put(Span<byte> line, ref int length, ReadOnlySpan<byte> text)
        {
            for (int i = 0; i < text.Length && length < line.Length; i++)
                line[length++] = text[i];
        }

        /// <summary>Ends the program as _exit(127) does (exit_group's hook), and this thread with it.</summary>
        private static void EndProgram()
        {
            if (Osv.Core.Linux.LinuxSystemCalls.ProcessExit != null)
                Osv.Core.Linux.LinuxSystemCalls.ProcessExit(SymbolLookupErrorStatus);
            while (true)
                Osv.Core.Threads.Scheduler.Exit();
        }
    }
}
