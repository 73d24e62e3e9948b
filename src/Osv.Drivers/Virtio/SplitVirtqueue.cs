using System;

namespace Osv.Drivers.Virtio
{
    /// <summary>
    /// The driver's side of a split virtqueue over caller-provided memory laid out by
    /// <see cref="SplitVirtqueueLayout"/>: descriptor chains from a free list, publication in the driver
    /// ring, and harvest of the device ring with 16-bit free-running indices (wrap-around is plain
    /// unsigned arithmetic). Not thread-safe: the owner serializes (a spin lock in the kernel).
    /// </summary>
    public sealed unsafe class SplitVirtqueue
    {
        public const ushort FlagNext = 1;
        public const ushort FlagDeviceWrites = 2;
        private const ushort EndOfList = 0xFFFF;

        private readonly byte* _memory;
        private readonly SplitVirtqueueLayout _layout;
        private ushort _freeHead;
        private int _freeCount;
        private ushort _nextAvailable; // our copy of avail->idx
        private ushort _nextUsed;      // the first used-ring entry not harvested yet

        /// <summary><paramref name="memory"/>: <see cref="SplitVirtqueueLayout.TotalBytes"/> zeroed bytes, suitably aligned.</summary>
        public SplitVirtqueue(byte* memory, SplitVirtqueueLayout layout)
        {
            _memory = memory;
            _layout = layout;
            for (int i = 0; i < layout.Size; i++)
                Descriptor(i)->Next = i + 1 < layout.Size ? (ushort)(i + 1) : EndOfList;
            _freeHead = 0;
            _freeCount = layout.Size;
        }

        public ushort Size => _layout.Size;
        public int FreeDescriptors => _freeCount;
        public byte* DescriptorTable => _memory;
        public byte* AvailableRing => _memory + _layout.AvailableOffset;
        public byte* UsedRing => _memory + _layout.UsedOffset;

        /// <summary>Chains added and not yet harvested.</summary>
        public int InFlight => (ushort)(_nextAvailable - _nextUsed);

        private struct RawDescriptor
        {
            public ulong Address;
            public uint Length;
            public ushort Flags;
            public ushort Next;
        }

        private RawDescriptor* Descriptor(int index) => (RawDescriptor*)_memory + index;
        private ushort* AvailableIndex => (ushort*)(AvailableRing + 2);
        private ushort* AvailableEntry(int slot) => (ushort*)(AvailableRing + 4) + slot;
        private ushort* UsedIndex => (ushort*)(UsedRing + 2);
        private uint* UsedEntry(int slot) => (uint*)(UsedRing + 4) + 2 * slot;

        /// <summary>
        /// Writes <paramref name="buffers"/> as one descriptor chain and makes it visible to the device.
        /// Returns the head descriptor (the request's id in the used ring), or -1 when too few
        /// descriptors are free (nothing changes then). The caller notifies the device.
        /// </summary>
        public int Add(ReadOnlySpan<VirtqueueBuffer> buffers)
        {
            if (buffers.Length == 0 || buffers.Length > _freeCount)
                return -1;
            ushort head = _freeHead;
            ushort index = head;
            for (int i = 0; i < buffers.Length; i++)
            {
                RawDescriptor* descriptor = Descriptor(index);
                ushort nextFree = descriptor->Next;
                descriptor->Address = buffers[i].PhysicalAddress;
                descriptor->Length = buffers[i].Length;
                bool last = i == buffers.Length - 1;
                descriptor->Flags = (ushort)((last ? 0 : FlagNext) | (buffers[i].DeviceWrites ? FlagDeviceWrites : 0));
                if (last)
                    _freeHead = nextFree; // the chain's last descriptor keeps no link into the free list
                else
                    index = nextFree;      // descriptor->Next already names the next free one: the chain link
            }
            _freeCount -= buffers.Length;
            *AvailableEntry(_nextAvailable & (_layout.Size - 1)) = head;
            _nextAvailable++;
            // The ring entry (and descriptors) must be visible before the index that publishes them.
            Mmio.Write16(AvailableIndex, _nextAvailable);
            return head;
        }

        /// <summary>
        /// Takes the next chain the device finished: its head and the bytes the device wrote. Its
        /// descriptors go back to the free list. False when the device has finished nothing new.
        /// </summary>
        public bool TryTakeUsed(out ushort head, out uint writtenLength)
        {
            head = 0;
            writtenLength = 0;
            ushort deviceIndex = Mmio.Read16(UsedIndex); // acquire: entries are read after it
            if (deviceIndex == _nextUsed)
                return false;
            uint* entry = UsedEntry(_nextUsed & (_layout.Size - 1));
            uint id = entry[0];
            writtenLength = entry[1];
            _nextUsed++;
            if (id >= _layout.Size)
                return false; // a device bug; the entry is skipped
            head = (ushort)id;
            FreeChain(head);
            return true;
        }

        private void FreeChain(ushort head)
        {
            ushort index = head;
            int count = 1;
            while ((Descriptor(index)->Flags & FlagNext) != 0 && count < _layout.Size)
            {
                index = Descriptor(index)->Next;
                count++;
            }
            Descriptor(index)->Flags = 0;
            Descriptor(index)->Next = _freeHead; // the chain's own links stay: the whole chain is the new front
            _freeHead = head;
            _freeCount += count;
        }
    }
}
