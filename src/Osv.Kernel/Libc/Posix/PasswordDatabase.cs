using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// The user database from /etc/passwd (`name:password:uid:gid:gecos:home:shell` lines), as glibc
    /// reads it with `passwd: files`: getpwnam/getpwuid (a static result each, like glibc), their _r
    /// forms (the caller's buffer), and the getpwent iteration. An image without /etc/passwd has no
    /// users: lookups find nothing and leave errno alone, as glibc does.
    /// </summary>
    internal static unsafe class PasswordDatabase
    {
        /// <summary>glibc's struct passwd (48 bytes on x86-64).</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct Entry
        {
            public byte* Name, Password;
            public uint UserId, GroupId;
            public byte* Gecos, Home, Shell;
        }

        private const int LineLimit = 1024;
        private const int Fields = 7;
        private const int ByNameSlot = 0, ByIdSlot = 1, EnumerationSlot = 2, Slots = 3;
        private static byte* s_results; // per function (glibc keeps one static result per function): a line buffer, then the Entry
        private static byte* s_enumerated; // getpwent's copy of the file, and where it is in it
        private static nuint s_enumeratedSize, s_enumeratedAt;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwnam")]
        public static Entry* ByName(byte* name) => FindStatic(ByNameSlot, name, 0, byName: true);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwuid")]
        public static Entry* ById(uint id) => FindStatic(ByIdSlot, null, id, byName: false);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwnam_r")]
        public static int ByNameInto(byte* name, Entry* entry, byte* buffer, nuint size, Entry** result) =>
            Find(name, 0, byName: true, entry, buffer, size, result);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwuid_r")]
        public static int ByIdInto(uint id, Entry* entry, byte* buffer, nuint size, Entry** result) =>
            Find(null, id, byName: false, entry, buffer, size, result);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setpwent")]
        public static void Rewind() => s_enumeratedAt = 0;

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "endpwent")]
        public static void End()
        {
            if (s_enumerated != null)
                Malloc.Malloc.Release(s_enumerated);
            s_enumerated = null;
            s_enumeratedSize = s_enumeratedAt = 0;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwent")]
        public static Entry* Next()
        {
            if (s_enumerated == null)
            {
                nuint size;
                s_enumerated = OpenDatabase(&size);
                s_enumeratedSize = size;
                s_enumeratedAt = 0;
                if (s_enumerated == null)
                    return null;
            }
            if (!EnsureResults())
                return null;
            while (s_enumeratedAt < s_enumeratedSize)
            {
                nuint start = s_enumeratedAt;
                nuint end = LineEnd(s_enumerated, s_enumeratedSize, start);
                s_enumeratedAt = end + 1;
                if (Parse(s_enumerated + start, (int)(end - start), Result(EnumerationSlot), Line(EnumerationSlot), LineLimit) == 0)
                    return Result(EnumerationSlot);
            }
            return null;
        }

        private static byte* OpenDatabase(nuint* size)
        {
            byte* path = stackalloc byte[] { (byte)'/', (byte)'e', (byte)'t', (byte)'c', (byte)'/', (byte)'p', (byte)'a', (byte)'s', (byte)'s', (byte)'w', (byte)'d', 0 };
            return MuslFileMaps.ReadWholeFile(path, size);
        }

        private static int SlotSize => LineLimit + sizeof(Entry);

        private static byte* Line(int slot) => s_results + slot * SlotSize;

        private static Entry* Result(int slot) => (Entry*)(s_results + slot * SlotSize + LineLimit);

        private static bool EnsureResults()
        {
            if (s_results == null)
                s_results = (byte*)Malloc.Malloc.AllocateOrFail((nuint)(Slots * SlotSize));
            return s_results != null;
        }

        private static Entry* FindStatic(int slot, byte* name, uint id, bool byName)
        {
            if (!EnsureResults())
                return null;
            Entry* result;
            return Find(name, id, byName, Result(slot), Line(slot), LineLimit, &result) == 0 ? result : null;
        }

        /// <summary>The _r contract: 0 with *result set (or null when nobody matches), ERANGE when the buffer is too small, or an errno.</summary>
        private static int Find(byte* name, uint id, bool byName, Entry* entry, byte* buffer, nuint size, Entry** result)
        {
            *result = null;
            if (byName && name == null)
                return 0;
            nuint fileSize;
            byte* file = OpenDatabase(&fileSize);
            if (file == null)
                return 0;
            int status = 0;
            nuint at = 0;
            while (at < fileSize)
            {
                nuint end = LineEnd(file, fileSize, at);
                byte* line = file + at;
                int length = (int)(end - at);
                at = end + 1;
                if (!Matches(line, length, name, id, byName))
                    continue;
                status = Parse(line, length, entry, buffer, size);
                if (status == 0)
                {
                    *result = entry;
                    break;
                }
                if (status == LibcErrors.ERANGE)
                    break;
                status = 0; // a malformed line is skipped, as glibc does
            }
            Malloc.Malloc.Release(file);
            return status;
        }

        private static nuint LineEnd(byte* file, nuint size, nuint start)
        {
            nuint end = start;
            while (end < size && file[end] != (byte)'\n')
                end++;
            return end;
        }

        /// <summary>Cheap pre-filter on the raw line: the name field, or the uid field's digits.</summary>
        private static bool Matches(byte* line, int length, byte* name, uint id, bool byName)
        {
            int field = 0, i = 0;
            if (byName)
            {
                while (i < length && name[i] != 0 && line[i] == name[i])
                    i++;
                return name[i] == 0 && i < length && line[i] == (byte)':';
            }
            for (; i < length && field < 2; i++)
            {
                if (line[i] == (byte)':')
                    field++;
            }
            return field == 2 && ParseNumber(line + i, length - i, out uint value) && value == id;
        }

        private static bool ParseNumber(byte* text, int length, out uint value)
        {
            value = 0;
            int i = 0;
            for (; i < length && text[i] >= (byte)'0' && text[i] <= (byte)'9'; i++)
                value = value * 10 + (uint)(text[i] - '0');
            return i > 0 && (i == length || text[i] == (byte)':');
        }

        /// <summary>Copies the line into <paramref name="buffer"/> split at the colons and points the entry's strings there. 0, ERANGE, or EINVAL for a malformed line.</summary>
        private static int Parse(byte* line, int length, Entry* entry, byte* buffer, nuint size)
        {
            if ((nuint)length + 1 > size)
                return LibcErrors.ERANGE;
            byte** fields = stackalloc byte*[Fields];
            int count = 0;
            fields[count++] = buffer;
            for (int i = 0; i < length; i++)
            {
                byte c = line[i];
                if (c == (byte)':' && count < Fields)
                {
                    buffer[i] = 0;
                    fields[count++] = buffer + i + 1;
                }
                else
                    buffer[i] = c;
            }
            buffer[length] = 0;
            if (count != Fields || !ParseNumber(fields[2], Length(fields[2]), out uint user) || !ParseNumber(fields[3], Length(fields[3]), out uint group))
                return LibcErrors.EINVAL;
            entry->Name = fields[0];
            entry->Password = fields[1];
            entry->UserId = user;
            entry->GroupId = group;
            entry->Gecos = fields[4];
            entry->Home = fields[5];
            entry->Shell = fields[6];
            return 0;
        }

        private static int Length(byte* text)
        {
            int length = 0;
            while (text[length] != 0)
                length++;
            return length;
        }
    }
}
