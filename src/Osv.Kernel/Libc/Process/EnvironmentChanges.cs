using System.Runtime.InteropServices;
using System.Threading;
using Osv.Annotations;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Process
{
    /// <summary>
    /// setenv, unsetenv, putenv and clearenv, on the environ the program sees (its COPY-relocated one
    /// when it has one, <see cref="LibcData"/>), so getenv, the program's own environ walks and the
    /// kernel agree. The first change moves the array to the heap, where it then grows; strings setenv
    /// builds are never freed, since the program may still hold pointers from getenv (glibc leaks them
    /// too); putenv's strings are the caller's.
    /// </summary>
    internal static unsafe class EnvironmentChanges
    {
        private static byte** s_array;
        private static int s_capacity;
        private static int s_lock;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setenv")]
        public static int Set(byte* name, byte* value, int overwrite)
        {
            int nameLength = NameLength(name);
            if (nameLength <= 0)
                return Fail(LibcErrors.EINVAL);
            int valueLength = value == null ? 0 : Strings.CStrings.Length(value);
            Lock();
            int result = 0;
            int index = IndexOf(Current, name, nameLength);
            if (index < 0 || overwrite != 0)
            {
                byte* entry = (byte*)Malloc.Malloc.AllocateOrFail((nuint)(nameLength + valueLength + 2));
                if (entry == null)
                    result = Fail(LibcErrors.ENOMEM);
                else
                {
                    Copy(entry, name, nameLength);
                    entry[nameLength] = (byte)'=';
                    Copy(entry + nameLength + 1, value, valueLength);
                    entry[nameLength + valueLength + 1] = 0;
                    result = Store(index, entry);
                }
            }
            Unlock();
            return result;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "putenv")]
        public static int Put(byte* text)
        {
            if (text == null)
                return Fail(LibcErrors.EINVAL);
            int nameLength = 0;
            while (text[nameLength] != 0 && text[nameLength] != (byte)'=')
                nameLength++;
            Lock();
            int result;
            if (text[nameLength] != (byte)'=')
                result = RemoveAll(text, nameLength); // glibc: "NAME" alone unsets it
            else
                result = Store(IndexOf(Current, text, nameLength), text);
            Unlock();
            return result;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "unsetenv")]
        public static int Unset(byte* name)
        {
            int nameLength = NameLength(name);
            if (nameLength <= 0)
                return Fail(LibcErrors.EINVAL);
            Lock();
            int result = RemoveAll(name, nameLength);
            Unlock();
            return result;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "clearenv")]
        public static int Clear()
        {
            Lock();
            if (s_array != null)
                s_array[0] = null;
            *LibcData.Slot(LibcData.Environ) = (ulong)s_array; // null when nothing was ever changed: an empty environment
            Unlock();
            return 0;
        }

        private static byte** Current => (byte**)*LibcData.Slot(LibcData.Environ);

        /// <summary>Replaces entry <paramref name="index"/> or, for -1, appends; 0 or -1 (ENOMEM).</summary>
        private static int Store(int index, byte* entry)
        {
            int count = Count(Current);
            if (!Own(count + (index < 0 ? 1 : 0)))
                return Fail(LibcErrors.ENOMEM);
            if (index >= 0)
                s_array[index] = entry;
            else
            {
                s_array[count] = entry;
                s_array[count + 1] = null;
            }
            return 0;
        }

        private static int RemoveAll(byte* name, int nameLength)
        {
            if (IndexOf(Current, name, nameLength) < 0)
                return 0;
            if (!Own(Count(Current)))
                return Fail(LibcErrors.ENOMEM);
            int write = 0;
            for (int read = 0; s_array[read] != null; read++)
            {
                if (!Matches(s_array[read], name, nameLength))
                    s_array[write++] = s_array[read];
            }
            s_array[write] = null;
            return 0;
        }

        /// <summary>Makes the program's environ the heap array, with room for <paramref name="entries"/> entries and the null.</summary>
        private static bool Own(int entries)
        {
            byte** current = Current;
            if (current == s_array && s_array != null && entries + 1 <= s_capacity)
                return true;
            int capacity = entries + 16;
            byte** grown = (byte**)Malloc.Malloc.AllocateOrFail((nuint)(capacity * sizeof(byte*)));
            if (grown == null)
                return false;
            int count = Count(current);
            for (int i = 0; i < count; i++)
                grown[i] = current[i];
            grown[count] = null;
            if (s_array != null)
                Malloc.Malloc.Release(s_array);
            s_array = grown;
            s_capacity = capacity;
            *LibcData.Slot(LibcData.Environ) = (ulong)grown;
            return true;
        }

        private static int IndexOf(byte** environment, byte* name, int nameLength)
        {
            for (int i = 0; environment != null && environment[i] != null; i++)
            {
                if (Matches(environment[i], name, nameLength))
                    return i;
            }
            return -1;
        }

        private static bool Matches(byte* entry, byte* name, int nameLength)
        {
            for (int i = 0; i < nameLength; i++)
            {
                if (entry[i] != name[i])
                    return false;
            }
            return entry[nameLength] == (byte)'=';
        }

        private static int Count(byte** environment)
        {
            int count = 0;
            while (environment != null && environment[count] != null)
                count++;
            return count;
        }

        /// <summary>The name's length, or -1 when it is null, empty or contains '=' (EINVAL).</summary>
        private static int NameLength(byte* name)
        {
            if (name == null)
                return -1;
            int length = 0;
            while (name[length] != 0)
            {
                if (name[length] == (byte)'=')
                    return -1;
                length++;
            }
            return length;
        }

        private static void Copy(byte* destination, byte* source, int length)
        {
            for (int i = 0; i < length; i++)
                destination[i] = source[i];
        }

        private static int Fail(int error)
        {
            ErrnoLocation.Set(error);
            return -1;
        }

        private static void Lock()
        {
            while (Interlocked.CompareExchange(ref s_lock, 1, 0) != 0)
                Osv.Core.Threads.Scheduler.Yield();
        }

        private static void Unlock() => Volatile.Write(ref s_lock, 0);
    }
}
