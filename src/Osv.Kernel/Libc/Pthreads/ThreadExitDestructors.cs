using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// __cxa_thread_atexit_impl: the destructors of C++ thread_local objects (and C11 tss-style users).
    /// Each thread keeps its own list, run newest first when the thread ends (before its pthread key
    /// destructors, as glibc does) or, for the thread that calls exit, before the atexit handlers.
    /// </summary>
    internal static unsafe class ThreadExitDestructors
    {
        private struct Entry
        {
            public delegate* unmanaged<void*, void> Destructor;
            public void* Object;
            public Entry* Next;
        }

        private static Entry* s_withoutDescriptor; // a thread the C library neither started nor adopted

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__cxa_thread_atexit_impl")]
        public static int Register(delegate* unmanaged<void*, void> destructor, void* value, void* dsoSymbol)
        {
            Entry* entry = (Entry*)Malloc.Malloc.AllocateOrFail((nuint)sizeof(Entry));
            if (entry == null)
                return -1;
            entry->Destructor = destructor;
            entry->Object = value;
            ThreadDescriptor* self = PthreadThreads.Self();
            if (self != null)
            {
                entry->Next = (Entry*)self->ExitDestructors;
                self->ExitDestructors = entry;
            }
            else
            {
                entry->Next = s_withoutDescriptor;
                s_withoutDescriptor = entry;
            }
            return 0;
        }

        /// <summary>Runs and frees <paramref name="self"/>'s list; a destructor may register more, which run too.</summary>
        public static void Run(ThreadDescriptor* self)
        {
            while (true)
            {
                Entry* entry = self != null ? (Entry*)self->ExitDestructors : s_withoutDescriptor;
                if (entry == null)
                    return;
                if (self != null)
                    self->ExitDestructors = entry->Next;
                else
                    s_withoutDescriptor = entry->Next;
                entry->Destructor(entry->Object);
                Malloc.Malloc.Release(entry);
            }
        }
    }
}
