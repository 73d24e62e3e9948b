using System;
using Osv.Arch.X64.Time;
using Osv.Arch.X64;
using Osv.Core.Linux;
using Osv.Vfs.Vfs.Abi;
using Errno = Osv.Vfs.Vfs.Errno;
using N = Osv.Kernel.FileSystems.FileSystemCallNumbers;

namespace Osv.Kernel.FileSystems
{
    /// <summary>
    /// select and pselect6 on top of poll: the descriptors set in the three bitmaps become poll entries
    /// (POLLIN, POLLOUT, POLLPRI), and the answers go back into the bitmaps. pselect6's signal mask is
    /// not applied: the kernel delivers no asynchronous signals to wait for. The timeout is not updated
    /// with the time left (POSIX allows both).
    /// </summary>
    internal static unsafe class SelectCalls
    {
        private const int SetLimit = 1024; // FD_SETSIZE
        private const short PollIn = 1, PollPriority = 2, PollOut = 4, PollError = 8, PollHangUp = 16, PollInvalid = 32;
        private const int MostOnStack = 64;

        public static void Register()
        {
            LinuxSystemCalls.Register(N.Select, &Select);
            LinuxSystemCalls.Register(N.Pselect6, &PollSelect);
        }

        private static long Select(SystemCallFrame* f)
        {
            long deadline = DeadlineFrom((long*)f->Argument4, nanosecondsPerUnit: 1000);
            return deadline == -Errno.EFAULT || deadline == -Errno.EINVAL
                ? deadline
                : Wait((int)f->Argument0, (ulong*)f->Argument1, (ulong*)f->Argument2, (ulong*)f->Argument3, (ulong)deadline);
        }

        private static long PollSelect(SystemCallFrame* f)
        {
            long deadline = DeadlineFrom((long*)f->Argument4, nanosecondsPerUnit: 1);
            return deadline == -Errno.EFAULT || deadline == -Errno.EINVAL
                ? deadline
                : Wait((int)f->Argument0, (ulong*)f->Argument1, (ulong*)f->Argument2, (ulong*)f->Argument3, (ulong)deadline);
        }

        /// <summary>
        /// The absolute deadline for a {seconds, sub-second units} timeout (timeval: µs, timespec: ns);
        /// no timeout waits for ever; a bad one is -EINVAL or -EFAULT.
        /// </summary>
        private static long DeadlineFrom(long* timeout, long nanosecondsPerUnit)
        {
            if (timeout == null)
                return long.MaxValue;
            if (!UserMemory.IsReadable(timeout, 16))
                return -Errno.EFAULT;
            long seconds = timeout[0], fraction = timeout[1];
            if (seconds < 0 || fraction < 0 || fraction * nanosecondsPerUnit >= 1000000000)
                return -Errno.EINVAL;
            if (seconds > 1L << 32)
                return long.MaxValue;
            return (long)TscClock.NanosecondsSinceBoot + seconds * 1000000000 + fraction * nanosecondsPerUnit;
        }

        private static long Wait(int count, ulong* read, ulong* write, ulong* except, ulong deadline)
        {
            if (count < 0 || count > SetLimit)
                return -Errno.EINVAL;
            ulong bytes = (ulong)((count + 63) / 64 * 8);
            if ((read != null && !UserMemory.IsWritable(read, bytes))
                || (write != null && !UserMemory.IsWritable(write, bytes))
                || (except != null && !UserMemory.IsWritable(except, bytes)))
                return -Errno.EFAULT;
            int watched = 0;
            for (int fd = 0; fd < count; fd++)
            {
                if (IsSet(read, fd) || IsSet(write, fd) || IsSet(except, fd))
                    watched++;
            }
            PollDescriptor* onStack = stackalloc PollDescriptor[MostOnStack];
            PollDescriptor* entries = watched <= MostOnStack ? onStack : (PollDescriptor*)KernelMemory.Allocate((nuint)(watched * sizeof(PollDescriptor)));
            if (entries == null)
                return -Errno.ENOMEM;
            int used = 0;
            for (int fd = 0; fd < count; fd++)
            {
                short events = (short)((IsSet(read, fd) ? PollIn : 0) | (IsSet(write, fd) ? PollOut : 0) | (IsSet(except, fd) ? PollPriority : 0));
                if (events != 0)
                    entries[used++] = new PollDescriptor { Descriptor = fd, Events = events };
            }
            long result = FileSystemCalls.PollUntil(new Span<PollDescriptor>(entries, used), deadline);
            if (result >= 0)
                result = Answer(entries, used, count, read, write, except);
            if (entries != onStack)
                KernelMemory.Free(entries);
            return result;
        }

        /// <summary>Rewrites the bitmaps from poll's answers: the number of bits set, or -EBADF for a descriptor that is not open.</summary>
        private static long Answer(PollDescriptor* entries, int used, int count, ulong* read, ulong* write, ulong* except)
        {
            for (int i = 0; i < used; i++)
            {
                if ((entries[i].ReturnedEvents & PollInvalid) != 0)
                    return -Errno.EBADF;
            }
            for (int fd = 0; fd < count; fd++)
            {
                Clear(read, fd);
                Clear(write, fd);
                Clear(except, fd);
            }
            long ready = 0;
            for (int i = 0; i < used; i++)
            {
                int fd = entries[i].Descriptor;
                short asked = entries[i].Events, got = entries[i].ReturnedEvents;
                if ((asked & PollIn) != 0 && (got & (PollIn | PollHangUp | PollError)) != 0)
                    ready += Set(read, fd);
                if ((asked & PollOut) != 0 && (got & (PollOut | PollError)) != 0)
                    ready += Set(write, fd);
                if ((asked & PollPriority) != 0 && (got & PollPriority) != 0)
                    ready += Set(except, fd);
            }
            return ready;
        }

        private static bool IsSet(ulong* set, int fd) => set != null && (set[fd / 64] & (1UL << (fd % 64))) != 0;

        private static void Clear(ulong* set, int fd)
        {
            if (set != null)
                set[fd / 64] &= ~(1UL << (fd % 64));
        }

        private static int Set(ulong* set, int fd)
        {
            set[fd / 64] |= 1UL << (fd % 64);
            return 1;
        }
    }
}
