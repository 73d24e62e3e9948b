using System;
// The Raw structs overlay memory the loader wrote; C# only reads them.
#pragma warning disable CS0649
namespace Osv.Arch.X64.Boot
{
    /// <summary>One range of the firmware memory map.</summary>
    public struct MemoryRange
    {
        public ulong Start;
        public ulong Length;
        public uint Type;

        public const uint Usable = 1;
        public bool IsUsable => Type == Usable;
    }

    /// <summary>
    /// The PVH start_info structure (Xen's hvm_start_info) the loader passes in %ebx:
    /// memory map, command line, ACPI RSDP. Parsing only: the caller owns the memory.
    /// </summary>
    public unsafe struct PvhStartInfo
    {
        public const uint Magic = 0x336EC578;

        private struct Raw
        {
            public uint Magic;
            public uint Version;
            public uint Flags;
            public uint ModuleCount;
            public ulong ModuleListAddress;
            public ulong CommandLineAddress;
            public ulong RsdpAddress;
            public ulong MemoryMapAddress;
            public uint MemoryMapEntries;
            public uint Reserved;
        }

        private struct RawMemoryMapEntry
        {
            public ulong Address;
            public ulong Size;
            public uint Type;
            public uint Reserved;
        }

        private readonly Raw* _raw;

        private PvhStartInfo(Raw* raw) { _raw = raw; }

        /// <summary>Null when the pointer does not hold a PVH start_info (wrong magic).</summary>
        public static bool TryRead(void* address, out PvhStartInfo info)
        {
            info = new PvhStartInfo((Raw*)address);
            return address != null && ((Raw*)address)->Magic == Magic;
        }

        public uint Version => _raw->Version;
        public ulong RsdpAddress => _raw->RsdpAddress;

        /// <summary>The NUL-terminated command line, or an empty span.</summary>
        public ReadOnlySpan<byte> CommandLine
        {
            get
            {
                byte* text = (byte*)_raw->CommandLineAddress;
                if (text == null)
                    return default;
                int length = 0;
                while (length < 4096 && text[length] != 0)
                    length++;
                return new ReadOnlySpan<byte>(text, length);
            }
        }

        /// <summary>Memory map entries (version 1 and later; version 0 has none).</summary>
        public int MemoryRangeCount => _raw->Version >= 1 ? (int)_raw->MemoryMapEntries : 0;

        public MemoryRange GetMemoryRange(int index)
        {
            RawMemoryMapEntry* entry = (RawMemoryMapEntry*)_raw->MemoryMapAddress + index;
            MemoryRange range;
            range.Start = entry->Address;
            range.Length = entry->Size;
            range.Type = entry->Type;
            return range;
        }
    }
}
