using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// The group database from /etc/group (`name:password:gid:member,member` lines) through
    /// <see cref="ColonDatabase"/>: getgrnam/getgrgid, their _r forms, the getgrent iteration, and
    /// getgrouplist (the user's own group first, then every group listing the user).
    /// </summary>
    internal static unsafe class GroupDatabase
    {
        /// <summary>glibc's struct group (32 bytes on x86-64).</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct Entry
        {
            public byte* Name, Password;
            public uint GroupId;
            public byte** Members;
        }

        private const int Fields = 4;
        private static ColonDatabase* s_database;

        private static System.ReadOnlySpan<byte> Path => "/etc/group"u8;

        private static ColonDatabase* Database => s_database != null ? s_database : (s_database = ColonDatabase.Create(&Parse, sizeof(Entry)));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getgrnam")]
        public static Entry* ByName(byte* name) => Database == null ? null : (Entry*)Database->FindStatic(Path, ColonDatabase.ByNameSlot, name, 0, byName: true);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getgrgid")]
        public static Entry* ById(uint id) => Database == null ? null : (Entry*)Database->FindStatic(Path, ColonDatabase.ByIdSlot, null, id, byName: false);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getgrnam_r")]
        public static int ByNameInto(byte* name, Entry* entry, byte* buffer, nuint size, Entry** result) =>
            Database == null ? LibcErrors.ENOMEM : Database->Find(Path, name, 0, byName: true, entry, buffer, size, (void**)result);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getgrgid_r")]
        public static int ByIdInto(uint id, Entry* entry, byte* buffer, nuint size, Entry** result) =>
            Database == null ? LibcErrors.ENOMEM : Database->Find(Path, null, id, byName: false, entry, buffer, size, (void**)result);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setgrent")]
        public static void Rewind()
        {
            if (Database != null)
                Database->Rewind();
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "endgrent")]
        public static void End()
        {
            if (Database != null)
                Database->End();
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getgrent")]
        public static Entry* Next() => Database == null ? null : (Entry*)Database->Next(Path);

        /// <summary>
        /// getgrouplist: <paramref name="group"/> first, then each group of /etc/group that lists
        /// <paramref name="user"/>; the count goes to *count; -1 when more than *count were found (the
        /// first *count are stored), as glibc.
        /// </summary>
        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getgrouplist")]
        public static int GroupList(byte* user, uint group, uint* groups, int* count)
        {
            int capacity = *count;
            int found = 0;
            if (found < capacity)
                groups[found] = group;
            found++;
            ColonDatabase* database = Database;
            if (database != null)
            {
                database->Rewind();
                for (Entry* entry = (Entry*)database->Next(Path); entry != null; entry = (Entry*)database->Next(Path))
                {
                    if (entry->GroupId == group || !Lists(entry, user))
                        continue;
                    if (found < capacity)
                        groups[found] = entry->GroupId;
                    found++;
                }
                database->End();
            }
            *count = found;
            return found > capacity ? -1 : found;
        }

        private static bool Lists(Entry* entry, byte* user)
        {
            for (byte** member = entry->Members; *member != null; member++)
            {
                int i = 0;
                while ((*member)[i] != 0 && (*member)[i] == user[i])
                    i++;
                if ((*member)[i] == 0 && user[i] == 0)
                    return true;
            }
            return false;
        }

        /// <summary>The fields, then the member list: the fourth field split at commas, a null-ended pointer array after the text.</summary>
        private static int Parse(byte* line, int length, void* entryAddress, byte* buffer, nuint size)
        {
            byte** fields = stackalloc byte*[Fields];
            int used = ColonDatabase.SplitFields(line, length, buffer, size, fields, Fields);
            if (used < 0)
                return -used;
            if (!ColonDatabase.ParseNumberField(fields[2], out uint id))
                return LibcErrors.EINVAL;
            int members = 0;
            for (byte* c = fields[3]; *c != 0; c++)
            {
                if (*c == (byte)',')
                    members++;
            }
            if (*fields[3] != 0)
                members++;
            nuint arrayStart = ((nuint)used + 7) & ~(nuint)7;
            if (arrayStart + (nuint)(members + 1) * (nuint)sizeof(byte*) > size)
                return LibcErrors.ERANGE;
            byte** list = (byte**)(buffer + arrayStart);
            int next = 0;
            if (*fields[3] != 0)
            {
                list[next++] = fields[3];
                for (byte* c = fields[3]; *c != 0; c++)
                {
                    if (*c == (byte)',')
                    {
                        *c = 0;
                        list[next++] = c + 1;
                    }
                }
            }
            list[next] = null;
            Entry* entry = (Entry*)entryAddress;
            entry->Name = fields[0];
            entry->Password = fields[1];
            entry->GroupId = id;
            entry->Members = list;
            return 0;
        }
    }
}
