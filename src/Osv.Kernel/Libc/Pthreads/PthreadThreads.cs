using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Core.Linux;
using Osv.Core.Threads;
using Osv.Kernel.Libc.Signals;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// pthreads over the scheduler. pthread_t is the address of the thread's
    /// <see cref="ThreadDescriptor"/>; each thread runs on a lazy stack (8 MiB unless the attributes
    /// say otherwise) and its own %fs block (<see cref="ThreadBlocks"/>, via
    /// <see cref="Scheduler.SetThreadPointer"/>), whose C library words point back at the descriptor.
    /// Threads the C library did not start (kernel threads) have no descriptor: pthread_self gives them
    /// an odd handle (kernel thread id * 2 + 1) that the other calls refuse with ESRCH.
    /// </summary>
    internal static unsafe class PthreadThreads
    {
        private const ulong PageSize = 4096;

        /// <summary>The running thread's descriptor, or null when the C library did not start or adopt it.</summary>
        public static ThreadDescriptor* Self()
        {
            ulong threadPointer = ThreadBlocks.Current;
            return threadPointer == 0 ? null : (ThreadDescriptor*)*ThreadBlocks.DescriptorSlot(threadPointer);
        }

        private static ThreadDescriptor* FromHandle(ulong handle)
        {
            if (handle == 0 || (handle & 7) != 0)
                return null;
            ThreadDescriptor* descriptor = (ThreadDescriptor*)handle;
            return KernelMemory.IsAllocatedPage(descriptor) && descriptor->Magic == ThreadDescriptor.MagicValue ? descriptor : null;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_create")]
        public static int Create(ulong* handle, PthreadAttributes.Attributes* attributes, delegate* unmanaged<void*, void*> start, void* argument)
        {
            PthreadAttributes.Attributes defaults;
            if (attributes == null)
            {
                PthreadAttributes.SetDefaults(&defaults);
                attributes = &defaults;
            }
            ulong stackSize = (attributes->StackSize + PageSize - 1) & ~(PageSize - 1);
            if (stackSize < PthreadAttributes.MinimumStackSize)
                stackSize = PthreadAttributes.MinimumStackSize;
            ThreadDescriptor* descriptor = (ThreadDescriptor*)KernelMemory.AllocateZeroed((nuint)sizeof(ThreadDescriptor));
            if (descriptor == null)
                return LibcErrors.EAGAIN;
            ulong threadPointer = ThreadBlocks.Create();
            if (threadPointer == 0)
            {
                KernelMemory.Free(descriptor);
                return LibcErrors.EAGAIN;
            }
            *ThreadBlocks.DescriptorSlot(threadPointer) = descriptor;
            descriptor->Magic = ThreadDescriptor.MagicValue;
            descriptor->Start = start;
            descriptor->Argument = argument;
            descriptor->ThreadPointer = threadPointer;
            descriptor->StackSize = stackSize;
            descriptor->GuardSize = attributes->GuardSize;
            descriptor->Program = LinuxThreads.CurrentProgram;
            descriptor->SignalMask = LinuxSignals.CurrentMask; // POSIX: the new thread starts with its creator's mask
            bool detached = attributes->DetachState == PthreadAttributes.Detached;
            descriptor->State = detached ? ThreadDescriptor.Detached : ThreadDescriptor.Joinable;
            *handle = (ulong)descriptor; // before the thread runs: it may read it through shared memory at once

            KernelThread? thread = Scheduler.Create(&ThreadMain, descriptor, stackSize);
            if (thread == null)
            {
                ThreadBlocks.Free(threadPointer);
                KernelMemory.Free(descriptor);
                return LibcErrors.EAGAIN;
            }
            if (detached)
                Scheduler.Detach(thread); // the descriptor may be gone already: do not touch it
            else
                Volatile.Write(ref descriptor->Thread, Unsafe.As<KernelThread, nint>(ref thread));
            return 0;
        }

        private static void ThreadMain(void* argument)
        {
            ThreadDescriptor* self = (ThreadDescriptor*)argument;
            Scheduler.SetThreadPointer(self->ThreadPointer);
            // A signal participant like a clone'd thread (its own mask, pthread_kill, faults), before its tid is published.
            if (self->Program != 0)
                LinuxThreads.AttachCreatedThread(self->Program, self->SignalMask);
            Volatile.Write(ref self->Tid, Scheduler.CurrentId);
            byte probe = 0;
            ulong top = ((ulong)&probe + PageSize - 1) & ~(PageSize - 1); // this frame is within the stack's first page
            Volatile.Write(ref self->StackAddress, top - self->StackSize);
            void* result = self->Start(self->Argument);
            Finish(self, result);
        }

        /// <summary>The thread's end: key destructors, its %fs block back to the CPU's, then the descriptor to whoever frees it.</summary>
        private static void Finish(ThreadDescriptor* self, void* result)
        {
            self->Result = result;
            ThreadExitDestructors.Run(self);
            PthreadKeys.RunDestructors(self);
            if (self->Program != 0)
                LinuxThreads.DetachCurrent(); // no more signals: pthread_kill now finds no thread (ESRCH)
            ulong threadPointer = self->ThreadPointer;
            Scheduler.SetThreadPointer(0);
            ThreadBlocks.Free(threadPointer);
            self->ThreadPointer = 0;
            if (Interlocked.CompareExchange(ref self->State, ThreadDescriptor.Exited, ThreadDescriptor.Joinable) == ThreadDescriptor.Detached)
                FreeDescriptor(self);
        }

        private static void FreeDescriptor(ThreadDescriptor* descriptor)
        {
            descriptor->Magic = 0;
            KernelMemory.Free(descriptor);
        }

        /// <summary>The kernel thread behind a joinable descriptor (waits the instant pthread_create needs to record it).</summary>
        private static KernelThread ThreadOf(ThreadDescriptor* descriptor)
        {
            nint reference;
            while ((reference = Volatile.Read(ref descriptor->Thread)) == 0)
                Scheduler.Yield();
            return Unsafe.As<nint, KernelThread>(ref reference);
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_join")]
        public static int Join(ulong handle, void** result)
        {
            ThreadDescriptor* descriptor = FromHandle(handle);
            if (descriptor == null)
                return LibcErrors.ESRCH;
            if (descriptor == Self())
                return LibcErrors.EDEADLK;
            if (Volatile.Read(ref descriptor->State) == ThreadDescriptor.Detached || descriptor->Adopted != 0)
                return LibcErrors.EINVAL;
            Scheduler.Join(ThreadOf(descriptor));
            if (result != null)
                *result = descriptor->Result;
            FreeDescriptor(descriptor);
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_detach")]
        public static int Detach(ulong handle)
        {
            ThreadDescriptor* descriptor = FromHandle(handle);
            if (descriptor == null)
                return LibcErrors.ESRCH;
            if (descriptor->Adopted != 0)
                return 0;
            if (Volatile.Read(ref descriptor->State) == ThreadDescriptor.Detached)
                return LibcErrors.EINVAL;
            KernelThread thread = ThreadOf(descriptor); // read before the state moves: the descriptor may go then
            int previous = Interlocked.CompareExchange(ref descriptor->State, ThreadDescriptor.Detached, ThreadDescriptor.Joinable);
            if (previous == ThreadDescriptor.Detached)
                return LibcErrors.EINVAL;
            Scheduler.Detach(thread);
            if (previous == ThreadDescriptor.Exited)
                FreeDescriptor(descriptor);
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_exit")]
        public static void Exit(void* result)
        {
            ThreadDescriptor* self = Self();
            if (self != null && self->Adopted == 0)
                Finish(self, result);
            Scheduler.Exit(); // the stack is abandoned, not unwound (no C++ forced unwinding)
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_self")]
        public static ulong SelfEntry()
        {
            ThreadDescriptor* self = Self();
            return self != null ? (ulong)self : (ulong)Scheduler.CurrentId * 2 + 1;
        }

        /// <summary>
        /// pthread_kill: the signal becomes pending on that thread (tgkill), which takes it at its next
        /// system call or signal-aware C library call; to the caller itself, it is handled before the
        /// return. Signal 0 only checks the thread. ESRCH once the thread has finished.
        /// </summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_kill")]
        public static int Kill(ulong handle, int signal)
        {
            ThreadDescriptor* descriptor = FromHandle(handle);
            if (descriptor == null)
                return LibcErrors.ESRCH;
            if (signal < 0 || signal > LinuxSignals.SignalCount)
                return LibcErrors.EINVAL;
            int tid;
            while ((tid = Volatile.Read(ref descriptor->Tid)) == 0)
                Scheduler.Yield(); // the thread publishes its tid as its first act
            if (Volatile.Read(ref descriptor->State) == ThreadDescriptor.Exited)
                return LibcErrors.ESRCH;
            long result = LinuxSystemCalls.Invoke(SystemCallNumbers.Tgkill, LinuxSystemCalls.ProcessId, tid, signal);
            if (result < 0)
                return (int)-result;
            SignalDelivery.DeliverPending();
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_equal")]
        public static int Equal(ulong first, ulong second) => first == second ? 1 : 0;

        /// <summary>glibc's pthread_getattr_np: the thread's stack (lowest address and size), guard size and detach state.</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_getattr_np")]
        public static int GetAttributes(ulong handle, PthreadAttributes.Attributes* attributes)
        {
            ThreadDescriptor* descriptor = FromHandle(handle);
            if (descriptor == null)
                return LibcErrors.ESRCH;
            PthreadAttributes.SetDefaults(attributes);
            while (Volatile.Read(ref descriptor->StackAddress) == 0)
                Scheduler.Yield(); // the thread records its stack as its first act
            attributes->StackAddress = descriptor->StackAddress;
            attributes->StackSize = descriptor->StackSize;
            attributes->GuardSize = descriptor->GuardSize;
            attributes->DetachState = Volatile.Read(ref descriptor->State) == ThreadDescriptor.Detached ? PthreadAttributes.Detached : PthreadAttributes.Joinable;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_setname_np")]
        public static int SetName(ulong handle, byte* name)
        {
            ThreadDescriptor* descriptor = FromHandle(handle);
            if (descriptor == null)
                return LibcErrors.ESRCH;
            int length = 0;
            while (name[length] != 0)
            {
                if (++length > 15)
                    return LibcErrors.ERANGE; // 16 bytes with the NUL, as Linux's comm
            }
            for (int i = 0; i <= length; i++)
                descriptor->Name[i] = name[i];
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_getname_np")]
        public static int GetName(ulong handle, byte* buffer, nuint size)
        {
            ThreadDescriptor* descriptor = FromHandle(handle);
            if (descriptor == null)
                return LibcErrors.ESRCH;
            int length = 0;
            while (length < 15 && descriptor->Name[length] != 0)
                length++;
            if ((nuint)length + 1 > size)
                return LibcErrors.ERANGE;
            for (int i = 0; i < length; i++)
                buffer[i] = descriptor->Name[i];
            buffer[length] = 0;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "sched_yield")]
        public static int Yield()
        {
            Scheduler.Yield();
            return 0;
        }

        /// <summary>
        /// For the loader: gives the running thread (an application's main thread) an %fs block with
        /// the program's static TLS and a descriptor, so that pthread_self, keys and errno work on
        /// it. It cannot be joined or detached. Returns the thread pointer, 0 when memory runs out.
        /// </summary>
        public static ulong AdoptCurrentThread(ulong stackSize)
        {
            ThreadDescriptor* descriptor = (ThreadDescriptor*)KernelMemory.AllocateZeroed((nuint)sizeof(ThreadDescriptor));
            if (descriptor == null)
                return 0;
            ulong threadPointer = ThreadBlocks.Create();
            if (threadPointer == 0)
            {
                KernelMemory.Free(descriptor);
                return 0;
            }
            *ThreadBlocks.DescriptorSlot(threadPointer) = descriptor;
            descriptor->Magic = ThreadDescriptor.MagicValue;
            descriptor->Adopted = 1;
            descriptor->ThreadPointer = threadPointer;
            descriptor->StackSize = stackSize;
            byte probe = 0;
            descriptor->StackAddress = (((ulong)&probe + PageSize - 1) & ~(PageSize - 1)) - stackSize;
            descriptor->Tid = Scheduler.CurrentId; // the loader made it a program thread already (its record)
            KernelThread self = Scheduler.Current;
            descriptor->Thread = Unsafe.As<KernelThread, nint>(ref self);
            Scheduler.SetThreadPointer(threadPointer);
            return threadPointer;
        }
    }
}
