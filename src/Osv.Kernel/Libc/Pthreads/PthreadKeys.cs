using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Pthreads
{
    /// <summary>
    /// Thread-specific data: 1024 keys (PTHREAD_KEYS_MAX). A key's sequence is odd while it is in use
    /// and advances on create and delete, so a value set under a deleted key is never seen through a
    /// re-created one. Values live in the thread's descriptor, 32 blocks of 32 allocated on first use.
    /// Destructors run at thread exit, up to PTHREAD_DESTRUCTOR_ITERATIONS (4) rounds.
    /// </summary>
    internal static unsafe class PthreadKeys
    {
        public const int MaxKeys = ThreadDescriptor.KeyBlockCount * ThreadDescriptor.KeysPerBlock;
        private const int DestructorIterations = 4;

        private struct Key
        {
            public long Sequence;
            public delegate* unmanaged<void*, void> Destructor;
        }

        private static readonly Key[] s_keys = new Key[MaxKeys];

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_key_create")]
        public static int Create(uint* key, delegate* unmanaged<void*, void> destructor) => CreateKey(key, destructor);

        /// <summary>glibc's internal alias, imported by some programs (redis-server).</summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__pthread_key_create")]
        public static int CreateInternal(uint* key, delegate* unmanaged<void*, void> destructor) => CreateKey(key, destructor);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_key_delete")]
        public static int Delete(uint key)
        {
            if (key >= MaxKeys)
                return LibcErrors.EINVAL;
            long sequence = Volatile.Read(ref s_keys[key].Sequence);
            if ((sequence & 1) == 0 || Interlocked.CompareExchange(ref s_keys[key].Sequence, sequence + 1, sequence) != sequence)
                return LibcErrors.EINVAL;
            return 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_getspecific")]
        public static void* Get(uint key)
        {
            ThreadDescriptor* self = PthreadThreads.Self();
            if (self == null || key >= MaxKeys)
                return null;
            KeyValue* block = (KeyValue*)self->KeyBlocks[key / ThreadDescriptor.KeysPerBlock];
            if (block == null)
                return null;
            KeyValue* slot = &block[key % ThreadDescriptor.KeysPerBlock];
            return slot->Sequence == Volatile.Read(ref s_keys[key].Sequence) ? slot->Value : null;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "pthread_setspecific")]
        public static int Set(uint key, void* value)
        {
            if (key >= MaxKeys)
                return LibcErrors.EINVAL;
            long sequence = Volatile.Read(ref s_keys[key].Sequence);
            if ((sequence & 1) == 0)
                return LibcErrors.EINVAL;
            ThreadDescriptor* self = PthreadThreads.Self();
            if (self == null)
                return LibcErrors.ENOMEM; // not a pthread: no place for values (the loader adopts the main thread)
            ulong* blockSlot = &self->KeyBlocks[key / ThreadDescriptor.KeysPerBlock];
            if (*blockSlot == 0)
            {
                *blockSlot = (ulong)KernelMemory.AllocateZeroed((nuint)(sizeof(KeyValue) * ThreadDescriptor.KeysPerBlock));
                if (*blockSlot == 0)
                    return LibcErrors.ENOMEM;
            }
            KeyValue* slot = &((KeyValue*)*blockSlot)[key % ThreadDescriptor.KeysPerBlock];
            slot->Sequence = sequence;
            slot->Value = value;
            return 0;
        }

        private static int CreateKey(uint* key, delegate* unmanaged<void*, void> destructor)
        {
            for (uint index = 0; index < MaxKeys; index++)
            {
                long sequence = Volatile.Read(ref s_keys[index].Sequence);
                if ((sequence & 1) != 0)
                    continue;
                if (Interlocked.CompareExchange(ref s_keys[index].Sequence, sequence + 1, sequence) != sequence)
                    continue;
                s_keys[index].Destructor = destructor; // no thread holds a value under the new sequence yet
                *key = index;
                return 0;
            }
            return LibcErrors.EAGAIN;
        }

        /// <summary>At thread exit: runs the destructors of non-null values (rounds while they set new ones), then frees the blocks.</summary>
        public static void RunDestructors(ThreadDescriptor* self)
        {
            for (int round = 0; round < DestructorIterations; round++)
            {
                bool ranAny = false;
                for (int blockIndex = 0; blockIndex < ThreadDescriptor.KeyBlockCount; blockIndex++)
                {
                    KeyValue* block = (KeyValue*)self->KeyBlocks[blockIndex];
                    if (block == null)
                        continue;
                    for (int i = 0; i < ThreadDescriptor.KeysPerBlock; i++)
                    {
                        int key = blockIndex * ThreadDescriptor.KeysPerBlock + i;
                        KeyValue* slot = &block[i];
                        if (slot->Value == null || slot->Sequence != Volatile.Read(ref s_keys[key].Sequence))
                            continue;
                        void* value = slot->Value;
                        slot->Value = null;
                        delegate* unmanaged<void*, void> destructor = s_keys[key].Destructor;
                        if (destructor != null)
                        {
                            destructor(value);
                            ranAny = true;
                        }
                    }
                }
                if (!ranAny)
                    break;
            }
            for (int blockIndex = 0; blockIndex < ThreadDescriptor.KeyBlockCount; blockIndex++)
            {
                KernelMemory.Free((void*)self->KeyBlocks[blockIndex]);
                self->KeyBlocks[blockIndex] = 0;
            }
        }
    }
}
