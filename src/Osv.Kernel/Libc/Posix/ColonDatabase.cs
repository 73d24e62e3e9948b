using System;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Posix
{
    /// <summary>
    /// A `files` database of colon-separated lines (/etc/passwd, /etc/group) as glibc's nss_files reads
    /// it: lookups by the first field or by the number in the third, the getXXent iteration, a static
    /// result per function (glibc keeps one each) and the _r contract. What an entry looks like is the
    /// database's <see cref="Parse"/>: it copies a line into a buffer and points the entry's fields there.
    /// An image without the file has no entries: lookups find nothing and leave errno alone.
    /// </summary>
    internal unsafe struct ColonDatabase
    {
        public const int LineLimit = 1024;
        public const int ByNameSlot = 0, ByIdSlot = 1, EnumerationSlot = 2, Slots = 3;
        private const int IdField = 2; // uid in passwd, gid in group

        /// <summary>line, length, entry, buffer, buffer size: 0, ERANGE when the buffer is too small, EINVAL for a malformed line.</summary>
        public delegate*<byte*, int, void*, byte*, nuint, int> Parse;
        public int EntrySize;
        private byte* _results; // Slots × (line buffer, then the entry)
        private byte* _enumerated; // getXXent's copy of the file, and where it is in it
        private nuint _enumeratedSize, _enumeratedAt;

        /// <summary>A database for <paramref name="parse"/>'s entries, on the kernel heap for the kernel's lifetime.</summary>
        public static ColonDatabase* Create(delegate*<byte*, int, void*, byte*, nuint, int> parse, int entrySize)
        {
            ColonDatabase* database = (ColonDatabase*)KernelMemory.AllocateZeroed((nuint)sizeof(ColonDatabase));
            if (database != null)
            {
                database->Parse = parse;
                database->EntrySize = entrySize;
            }
            return database;
        }

        private int SlotSize => LineLimit + EntrySize;

        private bool EnsureResults()
        {
            if (_results == null)
                _results = (byte*)KernelMemory.AllocateZeroed((nuint)(Slots * SlotSize));
            return _results != null;
        }

        /// <summary>getpwnam/getgrgid and friends: the entry in <paramref name="slot"/>'s static storage, or null.</summary>
        public void* FindStatic(ReadOnlySpan<byte> path, int slot, byte* name, uint id, bool byName)
        {
            if (!EnsureResults())
                return null;
            byte* line = _results + slot * SlotSize;
            void* result;
            return Find(path, name, id, byName, line + LineLimit, line, LineLimit, &result) == 0 ? result : null;
        }

        /// <summary>The _r contract: 0 with *result set (or null when nothing matches), ERANGE when the buffer is too small, or an errno.</summary>
        public int Find(ReadOnlySpan<byte> path, byte* name, uint id, bool byName, void* entry, byte* buffer, nuint size, void** result)
        {
            *result = null;
            if (byName && name == null)
                return 0;
            nuint fileSize;
            byte* file = Open(path, &fileSize);
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

        /// <summary>getXXent: the next well-formed entry, or null at the end.</summary>
        public void* Next(ReadOnlySpan<byte> path)
        {
            if (_enumerated == null)
            {
                nuint size;
                _enumerated = Open(path, &size);
                _enumeratedSize = size;
                _enumeratedAt = 0;
                if (_enumerated == null)
                    return null;
            }
            if (!EnsureResults())
                return null;
            byte* slot = _results + EnumerationSlot * SlotSize;
            while (_enumeratedAt < _enumeratedSize)
            {
                nuint start = _enumeratedAt;
                nuint end = LineEnd(_enumerated, _enumeratedSize, start);
                _enumeratedAt = end + 1;
                if (Parse(_enumerated + start, (int)(end - start), slot + LineLimit, slot, LineLimit) == 0)
                    return slot + LineLimit;
            }
            return null;
        }

        public void Rewind() => _enumeratedAt = 0;

        public void End()
        {
            if (_enumerated != null)
                Malloc.Malloc.Release(_enumerated);
            _enumerated = null;
            _enumeratedSize = _enumeratedAt = 0;
        }

        private static byte* Open(ReadOnlySpan<byte> path, nuint* size)
        {
            byte* name = stackalloc byte[path.Length + 1];
            path.CopyTo(new Span<byte>(name, path.Length));
            name[path.Length] = 0;
            return MuslFileMaps.ReadWholeFile(name, size);
        }

        private static nuint LineEnd(byte* file, nuint size, nuint start)
        {
            nuint end = start;
            while (end < size && file[end] != (byte)'\n')
                end++;
            return end;
        }

        /// <summary>Cheap pre-filter on the raw line: the name field, or the id field's digits.</summary>
        private static bool Matches(byte* line, int length, byte* name, uint id, bool byName)
        {
            int field = 0, i = 0;
            if (byName)
            {
                while (i < length && name[i] != 0 && line[i] == name[i])
                    i++;
                return name[i] == 0 && i < length && line[i] == (byte)':';
            }
            for (; i < length && field < IdField; i++)
            {
                if (line[i] == (byte)':')
                    field++;
            }
            return field == IdField && ParseNumber(line + i, length - i, out uint value) && value == id;
        }

        /// <summary>A decimal number filling <paramref name="length"/> bytes or ending at ':'.</summary>
        public static bool ParseNumber(byte* text, int length, out uint value)
        {
            value = 0;
            int i = 0;
            for (; i < length && text[i] >= (byte)'0' && text[i] <= (byte)'9'; i++)
                value = value * 10 + (uint)(text[i] - '0');
            return i > 0 && (i == length || text[i] == (byte)':');
        }

        /// <summary>A NUL-terminated field that is a decimal number.</summary>
        public static bool ParseNumberField(byte* field, out uint value) => ParseNumber(field, Strings.CStrings.Length(field), out value);

        /// <summary>
        /// Copies the line into <paramref name="buffer"/> with each of the first <paramref name="count"/> - 1
        /// colons made a terminator, <paramref name="fields"/> pointing at the fields. The bytes used (line
        /// and terminator), or -ERANGE; -EINVAL when the line has another number of fields.
        /// </summary>
        public static int SplitFields(byte* line, int length, byte* buffer, nuint size, byte** fields, int count)
        {
            if ((nuint)length + 1 > size)
                return -LibcErrors.ERANGE;
            int found = 0;
            fields[found++] = buffer;
            for (int i = 0; i < length; i++)
            {
                byte c = line[i];
                if (c == (byte)':' && found < count)
                {
                    buffer[i] = 0;
                    fields[found++] = buffer + i + 1;
                }
                else
                    buffer[i] = c;
            }
            buffer[length] = 0;
            return found == count ? length + 1 : -LibcErrors.EINVAL;
        }
    }
}
