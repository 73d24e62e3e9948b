using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64;
using Osv.Core.Elf;
using Osv.Core.Threads;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// `--test=libcs`: the C library's C# half (src/Osv.Kernel/Libc) called the way a C program calls
    /// it: every function is looked up by name in the image's own .dynsym (version libc.so.6) and called
    /// through the resulting function pointer; thread bodies are [UnmanagedCallersOnly] start routines.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static unsafe class LibcsTests
    {
        private const int ENOMEM = 12, EBUSY = 16, EDEADLK = 35, EPERM = 1, ETIMEDOUT = 110;

        private static delegate* unmanaged<nuint, void*> malloc;
        private static delegate* unmanaged<void*, void> free;
        private static delegate* unmanaged<nuint, nuint, void*> calloc;
        private static delegate* unmanaged<void*, nuint, void*> realloc;
        private static delegate* unmanaged<void**, nuint, nuint, int> posix_memalign;
        private static delegate* unmanaged<nuint, nuint, void*> aligned_alloc;
        private static delegate* unmanaged<void*, nuint> malloc_usable_size;
        private static delegate* unmanaged<byte*, byte*> strdup;
        private static delegate* unmanaged<int*> errno_location;
        private static delegate* unmanaged<ulong*, void*, delegate* unmanaged<void*, void*>, void*, int> pthread_create;
        private static delegate* unmanaged<ulong, void**, int> pthread_join;
        private static delegate* unmanaged<ulong, int> pthread_detach;
        private static delegate* unmanaged<ulong> pthread_self;
        private static delegate* unmanaged<void*, int> attr_init;
        private static delegate* unmanaged<void*, nuint, int> attr_setstacksize;
        private static delegate* unmanaged<void*, int, int> attr_setdetachstate;
        private static delegate* unmanaged<void*, ulong*, ulong*, int> attr_getstack;
        private static delegate* unmanaged<ulong, void*, int> getattr_np;
        private static delegate* unmanaged<void*, void*, int> mutex_init;
        private static delegate* unmanaged<void*, int> mutex_lock;
        private static delegate* unmanaged<void*, int> mutex_trylock;
        private static delegate* unmanaged<void*, int> mutex_unlock;
        private static delegate* unmanaged<int*, int> mutexattr_init;
        private static delegate* unmanaged<int*, int, int> mutexattr_settype;
        private static delegate* unmanaged<void*, void*, int> cond_wait;
        private static delegate* unmanaged<void*, void*, void*, int> cond_timedwait;
        private static delegate* unmanaged<void*, int> cond_signal;
        private static delegate* unmanaged<void*, int> cond_broadcast;
        private static delegate* unmanaged<void*, int> rw_rdlock;
        private static delegate* unmanaged<void*, int> rw_wrlock;
        private static delegate* unmanaged<void*, int> rw_unlock;
        private static delegate* unmanaged<uint*, delegate* unmanaged<void*, void>, int> key_create;
        private static delegate* unmanaged<uint, void*, int> setspecific;
        private static delegate* unmanaged<uint, void*> getspecific;
        private static delegate* unmanaged<int*, delegate* unmanaged<void>, int> pthread_once;
        private static delegate* unmanaged<void*, void*, uint, int> barrier_init;
        private static delegate* unmanaged<void*, int> barrier_wait;
        private static delegate* unmanaged<int> sched_yield;

        public static void Run(ref CheckReport report)
        {
            bool resolved = Resolve();
            report.Check("every function resolves through the image's .dynsym in version libc.so.6", resolved);
            if (!resolved)
                return;
            report.Check("malloc from 4 threads: random sizes, contents intact, every block freed", MallocStress());
            report.Check("calloc overflow gives NULL and ENOMEM through __errno_location", CallocOverflow());
            report.Check("posix_memalign and aligned_alloc alignments, malloc_usable_size", Alignment());
            report.Check("realloc keeps the data; strdup (musl) uses the kernel's malloc", ReallocAndStrdup());
            report.Check("8 threads x 10000 increments under a statically initialized mutex", MutexCounter());
            report.Check("recursive and error-checking mutexes (EDEADLK, EPERM, EBUSY)", MutexKinds());
            report.Check("condition variable: producer and consumer over a bounded buffer", ProducerConsumer());
            report.Check("pthread_cond_timedwait times out with ETIMEDOUT", TimedWait());
            report.Check("rwlock: readers share, writers exclude", ReaderWriter());
            report.Check("keys: values per thread, destructors at exit", Keys());
            report.Check("pthread_once runs its routine once among 6 threads", Once());
            report.Check("barrier: 4 threads x 50 rounds, one serial thread per round", Barrier());
            report.Check("join returns each thread's value; detached threads are freed", JoinAndDetach());
            report.Check("errno is per thread across CPUs", ErrnoPerThread());
            report.Check("stack size honoured (pthread_getattr_np)", StackSize());
        }

        private static bool Resolve()
        {
            AddressSpaceView image = AddressSpaceView.OfMemory((byte*)BootImage.ImageStart, BootImage.ImageStart,
                BootImage.ImageEnd - BootImage.ImageStart, isWritable: false);
            if (!DynamicSection.Decode(image, BootImage.DynamicStart, BootImage.DynamicEnd - BootImage.DynamicStart, out DynamicSection dynamic).IsOk
                || !DynamicSymbols.Create(dynamic, out DynamicSymbols symbols).IsOk)
                return false;
            bool ok = true;
            malloc = (delegate* unmanaged<nuint, void*>)Find(symbols, "malloc"u8, ref ok);
            free = (delegate* unmanaged<void*, void>)Find(symbols, "free"u8, ref ok);
            calloc = (delegate* unmanaged<nuint, nuint, void*>)Find(symbols, "calloc"u8, ref ok);
            realloc = (delegate* unmanaged<void*, nuint, void*>)Find(symbols, "realloc"u8, ref ok);
            posix_memalign = (delegate* unmanaged<void**, nuint, nuint, int>)Find(symbols, "posix_memalign"u8, ref ok);
            aligned_alloc = (delegate* unmanaged<nuint, nuint, void*>)Find(symbols, "aligned_alloc"u8, ref ok);
            malloc_usable_size = (delegate* unmanaged<void*, nuint>)Find(symbols, "malloc_usable_size"u8, ref ok);
            strdup = (delegate* unmanaged<byte*, byte*>)Find(symbols, "strdup"u8, ref ok);
            errno_location = (delegate* unmanaged<int*>)Find(symbols, "__errno_location"u8, ref ok);
            pthread_create = (delegate* unmanaged<ulong*, void*, delegate* unmanaged<void*, void*>, void*, int>)Find(symbols, "pthread_create"u8, ref ok);
            pthread_join = (delegate* unmanaged<ulong, void**, int>)Find(symbols, "pthread_join"u8, ref ok);
            pthread_detach = (delegate* unmanaged<ulong, int>)Find(symbols, "pthread_detach"u8, ref ok);
            pthread_self = (delegate* unmanaged<ulong>)Find(symbols, "pthread_self"u8, ref ok);
            attr_init = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_attr_init"u8, ref ok);
            attr_setstacksize = (delegate* unmanaged<void*, nuint, int>)Find(symbols, "pthread_attr_setstacksize"u8, ref ok);
            attr_setdetachstate = (delegate* unmanaged<void*, int, int>)Find(symbols, "pthread_attr_setdetachstate"u8, ref ok);
            attr_getstack = (delegate* unmanaged<void*, ulong*, ulong*, int>)Find(symbols, "pthread_attr_getstack"u8, ref ok);
            getattr_np = (delegate* unmanaged<ulong, void*, int>)Find(symbols, "pthread_getattr_np"u8, ref ok);
            mutex_init = (delegate* unmanaged<void*, void*, int>)Find(symbols, "pthread_mutex_init"u8, ref ok);
            mutex_lock = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_mutex_lock"u8, ref ok);
            mutex_trylock = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_mutex_trylock"u8, ref ok);
            mutex_unlock = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_mutex_unlock"u8, ref ok);
            mutexattr_init = (delegate* unmanaged<int*, int>)Find(symbols, "pthread_mutexattr_init"u8, ref ok);
            mutexattr_settype = (delegate* unmanaged<int*, int, int>)Find(symbols, "pthread_mutexattr_settype"u8, ref ok);
            cond_wait = (delegate* unmanaged<void*, void*, int>)Find(symbols, "pthread_cond_wait"u8, ref ok);
            cond_timedwait = (delegate* unmanaged<void*, void*, void*, int>)Find(symbols, "pthread_cond_timedwait"u8, ref ok);
            cond_signal = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_cond_signal"u8, ref ok);
            cond_broadcast = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_cond_broadcast"u8, ref ok);
            rw_rdlock = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_rwlock_rdlock"u8, ref ok);
            rw_wrlock = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_rwlock_wrlock"u8, ref ok);
            rw_unlock = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_rwlock_unlock"u8, ref ok);
            key_create = (delegate* unmanaged<uint*, delegate* unmanaged<void*, void>, int>)Find(symbols, "pthread_key_create"u8, ref ok);
            setspecific = (delegate* unmanaged<uint, void*, int>)Find(symbols, "pthread_setspecific"u8, ref ok);
            getspecific = (delegate* unmanaged<uint, void*>)Find(symbols, "pthread_getspecific"u8, ref ok);
            pthread_once = (delegate* unmanaged<int*, delegate* unmanaged<void>, int>)Find(symbols, "pthread_once"u8, ref ok);
            barrier_init = (delegate* unmanaged<void*, void*, uint, int>)Find(symbols, "pthread_barrier_init"u8, ref ok);
            barrier_wait = (delegate* unmanaged<void*, int>)Find(symbols, "pthread_barrier_wait"u8, ref ok);
            sched_yield = (delegate* unmanaged<int>)Find(symbols, "sched_yield"u8, ref ok);
            return ok;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)] // keeps Resolve's frame small: the boot stack is
        private static void* Find(in DynamicSymbols symbols, System.ReadOnlySpan<byte> name, ref bool ok)
        {
            if (symbols.TryLookup(name, "libc.so.6"u8, out ElfSymbol symbol) && symbol.Value != 0)
                return (void*)symbol.Value;
            ok = false;
            return null;
        }

        // ---- helpers ----

        private static ulong Start(delegate* unmanaged<void*, void*> body, void* argument)
        {
            ulong thread;
            return pthread_create(&thread, null, body, argument) == 0 ? thread : 0;
        }

        private static void* Join(ulong thread)
        {
            void* result = null;
            pthread_join(thread, &result);
            return result;
        }

        private static ulong Next(ref ulong state)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return state;
        }

        // ---- malloc ----

        [UnmanagedCallersOnly]
        private static void* MallocWorker(void* argument)
        {
            ulong seed = (ulong)argument * 0x9E3779B97F4A7C15UL + 1;
            byte** blocks = stackalloc byte*[64];
            nuint* sizes = stackalloc nuint[64];
            for (int i = 0; i < 64; i++)
                blocks[i] = null;
            long bad = 0;
            for (int round = 0; round < 3000; round++)
            {
                int slot = (int)(Next(ref seed) % 64);
                if (blocks[slot] != null)
                {
                    byte expected = (byte)((nuint)blocks[slot] >> 4);
                    for (nuint j = 0; j < sizes[slot]; j++)
                        if (blocks[slot][j] != expected)
                            bad++;
                    free(blocks[slot]);
                    blocks[slot] = null;
                }
                nuint size = (nuint)(Next(ref seed) % ((round & 15) == 0 ? 20000UL : 300UL));
                byte* block = (byte*)malloc(size);
                if (block == null || ((nuint)block & 15) != 0)
                {
                    bad++;
                    continue;
                }
                for (nuint j = 0; j < size; j++)
                    block[j] = (byte)((nuint)block >> 4);
                blocks[slot] = block;
                sizes[slot] = size;
            }
            for (int i = 0; i < 64; i++)
                free(blocks[i]);
            return (void*)bad;
        }

        private static bool MallocStress()
        {
            ulong before = KernelMemory.LiveAllocations;
            ulong* threads = stackalloc ulong[4];
            for (int i = 0; i < 4; i++)
                threads[i] = Start(&MallocWorker, (void*)(nuint)(i + 1));
            long bad = 0;
            for (int i = 0; i < 4; i++)
                bad += threads[i] == 0 ? 1 : (long)Join(threads[i]);
            bool ok = Expect.Equal("corrupted or misaligned blocks", 0, bad);
            ok &= Expect.Equal("heap blocks after the threads are joined", (long)before, (long)KernelMemory.LiveAllocations);
            return ok;
        }

        private static bool CallocOverflow()
        {
            *errno_location() = 0;
            void* block = calloc(nuint.MaxValue / 2, 4);
            bool ok = Expect.True("calloc(SIZE_MAX/2, 4) is NULL", block == null);
            ok &= Expect.Equal("errno", ENOMEM, *errno_location());
            byte* zeroed = (byte*)calloc(100, 10);
            bool allZero = zeroed != null;
            for (int i = 0; zeroed != null && i < 1000; i++)
                allZero &= zeroed[i] == 0;
            free(zeroed);
            return ok & Expect.True("calloc(100, 10) is zeroed", allZero);
        }

        private static bool Alignment()
        {
            ulong before = KernelMemory.LiveAllocations;
            bool ok = true;
            for (nuint alignment = 16; alignment <= 8192; alignment *= 2)
            {
                void* block;
                ok &= Expect.Equal("posix_memalign's result", 0, posix_memalign(&block, alignment, 100));
                ok &= Expect.True("posix_memalign's block is aligned", ((nuint)block & (alignment - 1)) == 0);
                ok &= Expect.True("malloc_usable_size >= 100", malloc_usable_size(block) >= 100);
                RawFill((byte*)block, 100);
                void* other = aligned_alloc(alignment, 3000);
                ok &= Expect.True("aligned_alloc's block is aligned", other != null && ((nuint)other & (alignment - 1)) == 0);
                free(other);
                free(block);
            }
            void* refused;
            ok &= Expect.Equal("posix_memalign(24) is EINVAL", 22, posix_memalign(&refused, 24, 8));
            ok &= Expect.Equal("heap blocks after freeing", (long)before, (long)KernelMemory.LiveAllocations);
            return ok;
        }

        private static void RawFill(byte* block, int count)
        {
            for (int i = 0; i < count; i++)
                block[i] = 0xa5;
        }

        private static bool ReallocAndStrdup()
        {
            byte* block = (byte*)malloc(40);
            for (int i = 0; i < 40; i++)
                block[i] = (byte)i;
            block = (byte*)realloc(block, 100000);
            bool ok = block != null;
            for (int i = 0; ok && i < 40; i++)
                ok &= block[i] == i;
            block = (byte*)realloc(block, 10);
            for (int i = 0; ok && i < 10; i++)
                ok &= block[i] == i;
            free(block);
            ok = Expect.True("realloc kept the first bytes", ok);
            fixed (byte* text = "unikernel\0"u8)
            {
                byte* copy = strdup(text);
                bool same = copy != null && copy != text;
                for (int i = 0; same && i < 10; i++)
                    same &= copy[i] == text[i];
                ok &= Expect.True("strdup copied", same);
                ok &= Expect.True("strdup's copy came from malloc", malloc_usable_size(copy) >= 10);
                free(copy);
            }
            return ok;
        }

        // ---- mutexes ----

        private static long s_counter;
        private static byte* s_mutex; // 40 zero bytes: PTHREAD_MUTEX_INITIALIZER

        [UnmanagedCallersOnly]
        private static void* CounterWorker(void* argument)
        {
            for (int i = 0; i < 10000; i++)
            {
                mutex_lock(s_mutex);
                long value = s_counter;
                if ((i & 255) == 0)
                    sched_yield();
                s_counter = value + 1;
                mutex_unlock(s_mutex);
            }
            return null;
        }

        private static bool MutexCounter()
        {
            s_mutex = (byte*)calloc(1, 40);
            s_counter = 0;
            ulong* threads = stackalloc ulong[8];
            for (int i = 0; i < 8; i++)
                threads[i] = Start(&CounterWorker, null);
            for (int i = 0; i < 8; i++)
                Join(threads[i]);
            free(s_mutex);
            return Expect.Equal("the counter", 80000, s_counter);
        }

        private static bool MutexKinds()
        {
            byte* mutex = stackalloc byte[40];
            int attributes;
            mutexattr_init(&attributes);
            mutexattr_settype(&attributes, 1); // PTHREAD_MUTEX_RECURSIVE
            mutex_init(mutex, &attributes);
            bool ok = Expect.Equal("recursive lock", 0, mutex_lock(mutex));
            ok &= Expect.Equal("recursive lock again", 0, mutex_lock(mutex));
            ok &= Expect.Equal("recursive trylock by the owner", 0, mutex_trylock(mutex));
            ok &= Expect.Equal("unlock 1", 0, mutex_unlock(mutex));
            ok &= Expect.Equal("unlock 2", 0, mutex_unlock(mutex));
            ok &= Expect.Equal("unlock 3", 0, mutex_unlock(mutex));
            ok &= Expect.Equal("recursive unlock when free", EPERM, mutex_unlock(mutex));

            mutexattr_settype(&attributes, 2); // PTHREAD_MUTEX_ERRORCHECK
            mutex_init(mutex, &attributes);
            ok &= Expect.Equal("errorcheck lock", 0, mutex_lock(mutex));
            ok &= Expect.Equal("errorcheck relock", EDEADLK, mutex_lock(mutex));
            ok &= Expect.Equal("errorcheck trylock", EBUSY, mutex_trylock(mutex));
            ok &= Expect.Equal("errorcheck unlock by another thread", EPERM, (int)(long)Join(Start(&UnlockFromOtherThread, mutex)));
            ok &= Expect.Equal("errorcheck unlock", 0, mutex_unlock(mutex));
            ok &= Expect.Equal("errorcheck unlock twice", EPERM, mutex_unlock(mutex));
            return ok;
        }

        [UnmanagedCallersOnly]
        private static void* UnlockFromOtherThread(void* mutex) => (void*)(long)mutex_unlock(mutex);

        // ---- condition variables ----

        private const int BufferSize = 4;
        private const int Items = 2000;
        private static int* s_buffer;
        private static int s_head, s_tail, s_count;
        private static byte* s_notFull, s_notEmpty; // 48 zero bytes: PTHREAD_COND_INITIALIZER

        [UnmanagedCallersOnly]
        private static void* Producer(void* argument)
        {
            for (int i = 1; i <= Items; i++)
            {
                mutex_lock(s_mutex);
                while (s_count == BufferSize)
                    cond_wait(s_notFull, s_mutex);
                s_buffer[s_tail] = i;
                s_tail = (s_tail + 1) % BufferSize;
                s_count++;
                cond_signal(s_notEmpty);
                mutex_unlock(s_mutex);
            }
            return null;
        }

        [UnmanagedCallersOnly]
        private static void* Consumer(void* argument)
        {
            long sum = 0, expected = 1, outOfOrder = 0;
            for (int i = 0; i < Items; i++)
            {
                mutex_lock(s_mutex);
                while (s_count == 0)
                    cond_wait(s_notEmpty, s_mutex);
                int item = s_buffer[s_head];
                s_head = (s_head + 1) % BufferSize;
                s_count--;
                cond_signal(s_notFull);
                mutex_unlock(s_mutex);
                if (item != expected++)
                    outOfOrder++;
                sum += item;
            }
            return (void*)(outOfOrder == 0 ? sum : -1);
        }

        private static bool ProducerConsumer()
        {
            s_mutex = (byte*)calloc(1, 40);
            s_notFull = (byte*)calloc(1, 48);
            s_notEmpty = (byte*)calloc(1, 48);
            s_buffer = (int*)malloc(BufferSize * sizeof(int));
            s_head = s_tail = s_count = 0;
            ulong consumer = Start(&Consumer, null);
            ulong producer = Start(&Producer, null);
            Join(producer);
            long sum = (long)Join(consumer);
            free(s_buffer);
            free(s_notEmpty);
            free(s_notFull);
            free(s_mutex);
            return Expect.Equal("the consumer's sum, in order", (long)Items * (Items + 1) / 2, sum);
        }

        private static bool TimedWait()
        {
            byte* mutex = stackalloc byte[40];
            byte* condition = stackalloc byte[48];
            for (int i = 0; i < 40; i++) mutex[i] = 0;
            for (int i = 0; i < 48; i++) condition[i] = 0;
            long* deadline = stackalloc long[2];
            ulong nowUnix = Osv.Core.Linux.LinuxSystemCalls.BootUnixSeconds * 1000000000UL + Osv.Arch.X64.Time.TscClock.NanosecondsSinceBoot + 20000000UL; // +20 ms
            deadline[0] = (long)(nowUnix / 1000000000UL);
            deadline[1] = (long)(nowUnix % 1000000000UL);
            mutex_lock(mutex);
            ulong start = Osv.Arch.X64.Time.TscClock.NanosecondsSinceBoot;
            int result = cond_timedwait(condition, mutex, deadline);
            ulong waited = Osv.Arch.X64.Time.TscClock.NanosecondsSinceBoot - start;
            mutex_unlock(mutex);
            bool ok = Expect.Equal("pthread_cond_timedwait's result", ETIMEDOUT, result);
            return ok & Expect.True("it waited about 20 ms", waited >= 15000000UL && waited < 2000000000UL);
        }

        // ---- rwlock ----

        private static byte* s_rwlock;
        private static int s_readers, s_writers, s_violations;

        [UnmanagedCallersOnly]
        private static void* RwWorker(void* argument)
        {
            bool writer = ((long)argument & 1) == 0;
            for (int i = 0; i < 300; i++)
            {
                if (writer)
                {
                    rw_wrlock(s_rwlock);
                    if (Interlocked.Increment(ref s_writers) != 1 || Volatile.Read(ref s_readers) != 0)
                        Interlocked.Increment(ref s_violations);
                    sched_yield();
                    Interlocked.Decrement(ref s_writers);
                }
                else
                {
                    rw_rdlock(s_rwlock);
                    Interlocked.Increment(ref s_readers);
                    if (Volatile.Read(ref s_writers) != 0)
                        Interlocked.Increment(ref s_violations);
                    sched_yield();
                    Interlocked.Decrement(ref s_readers);
                }
                rw_unlock(s_rwlock);
            }
            return null;
        }

        private static bool ReaderWriter()
        {
            s_rwlock = (byte*)calloc(1, 56);
            s_readers = s_writers = s_violations = 0;
            ulong* threads = stackalloc ulong[6];
            for (int i = 0; i < 6; i++)
                threads[i] = Start(&RwWorker, (void*)(nuint)i);
            for (int i = 0; i < 6; i++)
                Join(threads[i]);
            free(s_rwlock);
            return Expect.Equal("exclusion violations", 0, s_violations);
        }

        // ---- keys, once, barrier ----

        private static uint s_key;
        private static int s_destroyed;

        [UnmanagedCallersOnly]
        private static void KeyDestructor(void* value) => Interlocked.Add(ref s_destroyed, (int)(long)value);

        [UnmanagedCallersOnly]
        private static void* KeyWorker(void* argument)
        {
            bool empty = getspecific(s_key) == null;
            setspecific(s_key, argument);
            sched_yield();
            return (void*)(empty && getspecific(s_key) == argument ? 1L : 0L);
        }

        private static bool Keys()
        {
            s_destroyed = 0;
            uint key;
            bool ok = Expect.Equal("pthread_key_create", 0, key_create(&key, &KeyDestructor));
            s_key = key;
            ulong* threads = stackalloc ulong[4];
            for (int i = 0; i < 4; i++)
                threads[i] = Start(&KeyWorker, (void*)(nuint)(10 << i));
            long good = 0;
            for (int i = 0; i < 4; i++)
                good += (long)Join(threads[i]);
            ok &= Expect.Equal("threads that saw only their own value", 4, good);
            ok &= Expect.Equal("sum of the values the destructors got", 10 + 20 + 40 + 80, s_destroyed);
            return ok;
        }

        private static int s_onceControl, s_onceRuns;

        [UnmanagedCallersOnly]
        private static void OnceRoutine()
        {
            Interlocked.Increment(ref s_onceRuns);
            sched_yield();
        }

        [UnmanagedCallersOnly]
        private static void* OnceWorker(void* argument)
        {
            fixed (int* control = &s_onceControl)
                pthread_once(control, &OnceRoutine);
            return (void*)(long)Volatile.Read(ref s_onceRuns);
        }

        private static bool Once()
        {
            s_onceControl = 0;
            s_onceRuns = 0;
            ulong* threads = stackalloc ulong[6];
            for (int i = 0; i < 6; i++)
                threads[i] = Start(&OnceWorker, null);
            bool ok = true;
            for (int i = 0; i < 6; i++)
                ok &= Expect.Equal("runs seen after pthread_once returned", 1, (long)Join(threads[i]));
            return ok & Expect.Equal("runs", 1, s_onceRuns);
        }

        private static byte* s_barrier;
        private static int s_serials, s_phase, s_phaseErrors;

        [UnmanagedCallersOnly]
        private static void* BarrierWorker(void* argument)
        {
            for (int round = 0; round < 50; round++)
            {
                if (Volatile.Read(ref s_phase) != round)
                    Interlocked.Increment(ref s_phaseErrors);
                if (barrier_wait(s_barrier) == -1)
                {
                    Interlocked.Increment(ref s_serials);
                    Interlocked.Increment(ref s_phase);
                }
                barrier_wait(s_barrier);
            }
            return null;
        }

        private static bool Barrier()
        {
            s_barrier = (byte*)calloc(1, 32);
            s_serials = s_phase = s_phaseErrors = 0;
            bool ok = Expect.Equal("pthread_barrier_init", 0, barrier_init(s_barrier, null, 4));
            ulong* threads = stackalloc ulong[4];
            for (int i = 0; i < 4; i++)
                threads[i] = Start(&BarrierWorker, null);
            for (int i = 0; i < 4; i++)
                Join(threads[i]);
            free(s_barrier);
            ok &= Expect.Equal("serial threads", 50, s_serials);
            return ok & Expect.Equal("threads that ran ahead of a round", 0, s_phaseErrors);
        }

        // ---- threads ----

        [UnmanagedCallersOnly]
        private static void* ReturnArgumentSquared(void* argument) => (void*)((long)argument * (long)argument);

        private static int s_detachedDone;

        [UnmanagedCallersOnly]
        private static void* DetachedWorker(void* argument)
        {
            sched_yield();
            Interlocked.Increment(ref s_detachedDone);
            return null;
        }

        private static bool JoinAndDetach()
        {
            int threadsBefore = Scheduler.LiveThreads;
            ulong heapBefore = KernelMemory.LiveAllocations;
            ulong* threads = stackalloc ulong[10];
            for (int i = 0; i < 10; i++)
                threads[i] = Start(&ReturnArgumentSquared, (void*)(nuint)i);
            bool ok = true;
            for (int i = 0; i < 10; i++)
                ok &= Expect.Equal("join's value", i * i, (long)Join(threads[i]));

            s_detachedDone = 0;
            byte* attributes = stackalloc byte[56];
            attr_init(attributes);
            attr_setdetachstate(attributes, 1);
            for (int i = 0; i < 10; i++)
            {
                ulong thread;
                ok &= Expect.Equal("pthread_create (detached)", 0, pthread_create(&thread, attributes, &DetachedWorker, null));
            }
            for (int i = 0; i < 5; i++)
                pthread_detach(Start(&DetachedWorker, null));
            for (int spins = 0; spins < 10000 && (Volatile.Read(ref s_detachedDone) < 15 || Scheduler.LiveThreads > threadsBefore); spins++)
                Scheduler.Sleep(1000000);
            Scheduler.Reap();
            ok &= Expect.Equal("detached threads that ran", 15, Volatile.Read(ref s_detachedDone));
            ok &= Expect.Equal("live threads after they exit", threadsBefore, Scheduler.LiveThreads);
            ok &= Expect.Equal("heap blocks after they exit", (long)heapBefore, (long)KernelMemory.LiveAllocations);
            return ok;
        }

        [UnmanagedCallersOnly]
        private static void* ErrnoWorker(void* argument)
        {
            int value = (int)(long)argument;
            *errno_location() = value;
            for (int i = 0; i < 200; i++)
            {
                sched_yield();
                if (i % 50 == 0)
                    Scheduler.PinCurrent(i / 50 % Scheduler.CpuCount);
                if (*errno_location() != value)
                    return (void*)0;
            }
            return (void*)(long)(*errno_location() == value ? 1 : 0);
        }

        private static bool ErrnoPerThread()
        {
            ulong first = Start(&ErrnoWorker, (void*)1001);
            ulong second = Start(&ErrnoWorker, (void*)2002);
            bool ok = Expect.Equal("first thread kept its errno", 1, (long)Join(first));
            return ok & Expect.Equal("second thread kept its errno", 1, (long)Join(second));
        }

        [UnmanagedCallersOnly]
        private static void* StackWorker(void* argument)
        {
            byte* attributes = stackalloc byte[56];
            if (getattr_np(pthread_self(), attributes) != 0)
                return null;
            ulong address, size;
            attr_getstack(attributes, &address, &size);
            ulong local = (ulong)&address;
            bool inside = local > address && local < address + size;
            return (void*)(inside ? size : 1);
        }

        private static bool StackSize()
        {
            byte* attributes = stackalloc byte[56];
            attr_init(attributes);
            bool ok = Expect.Equal("pthread_attr_setstacksize", 0, attr_setstacksize(attributes, 256 * 1024));
            ulong thread;
            ok &= Expect.Equal("pthread_create", 0, pthread_create(&thread, attributes, &StackWorker, null));
            ok &= Expect.Equal("the stack pthread_getattr_np reports (size, with a local inside)", 256 * 1024, (long)Join(thread));
            return ok;
        }
    }
}
