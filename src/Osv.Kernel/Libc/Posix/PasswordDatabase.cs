using System.Runtime.InteropServices;
using Osv.Annotations;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// The user database from /etc/passwd (`name:password:uid:gid:gecos:home:shell` lines) through
    /// <see cref="ColonDatabase"/>: getpwnam/getpwuid, their _r forms and the getpwent iteration.
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

        private const int Fields = 7;
        private static ColonDatabase* s_database;

        private static System.ReadOnlySpan<byte> Path => "/etc/passwd"u8;

        private static ColonDatabase* Database => s_database != null ? s_database : (s_database = ColonDatabase.Create(&Parse, sizeof(Entry)));

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwnam")]
        public static Entry* ByName(byte* name) => Database == null ? null : (Entry*)Database->FindStatic(Path, ColonDatabase.ByNameSlot, name, 0, byName: true);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwuid")]
        public static Entry* ById(uint id) => Database == null ? null : (Entry*)Database->FindStatic(Path, ColonDatabase.ByIdSlot, null, id, byName: false);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwnam_r")]
        public static int ByNameInto(byte* name, Entry* entry, byte* buffer, nuint size, Entry** result) =>
            Database == null ? LibcErrors.ENOMEM : Database->Find(Path, name, 0, byName: true, entry, buffer, size, (void**)result);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwuid_r")]
        public static int ByIdInto(uint id, Entry* entry, byte* buffer, nuint size, Entry** result) =>
            Database == null ? LibcErrors.ENOMEM : Database->Find(Path, null, id, byName: false, entry, buffer, size, (void**)result);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "setpwent")]
        public static void Rewind()
        {
            if (Database != null)
                Database->Rewind();
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "endpwent")]
        public static void End()
        {
            if (Database != null)
                Database->End();
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getpwent")]
        public static Entry* Next() => Database == null ? null : (Entry*)Database->Next(Path);

        private static int Parse(byte* line, int length, void* entryAddress, byte* buffer, nuint size)
        {
            byte** fields = stackalloc byte*[Fields];
            int used = ColonDatabase.SplitFields(line, length, buffer, size, fields, Fields);
            if (used < 0)
                return -used;
            if (!ColonDatabase.ParseNumberField(fields[2], out uint user) || !ColonDatabase.ParseNumberField(fields[3], out uint group))
                return LibcErrors.EINVAL;
            Entry* entry = (Entry*)entryAddress;
            entry->Name = fields[0];
            entry->Password = fields[1];
            entry->UserId = user;
            entry->GroupId = group;
            entry->Gecos = fields[4];
            entry->Home = fields[5];
            entry->Shell = fields[6];
            return 0;
        }
    }
}
