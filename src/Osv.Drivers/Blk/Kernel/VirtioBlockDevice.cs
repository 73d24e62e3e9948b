using System;
using System.Threading;
using Osv.Annotations;
using Osv.Arch.X64.Interrupts;
using Osv.Arch.X64.Memory;
using Osv.Arch.X64.Smp;
using Osv.Core.Threads;
using Osv.Drivers.Virtio;

namespace Osv.Drivers.Blk
{
    /// <summary>
    /// A virtio-blk disk on one split virtqueue. Each request takes a slot (its header and status byte
    /// live in the slot's DMA memory, its completion in the slot's semaphore), so up to
    /// <see cref="SlotCount"/> requests from any threads are in flight at once; the slot count is what
    /// the queue holds with every request at its largest, so adding a chain never fails. The MSI-X
    /// handler harvests the used ring and wakes the requesters.
    /// </summary>
    public sealed unsafe class VirtioBlockDevice : BlockDevice
    {
        /// <summary>Larger transfers go as several requests, one after another.</summary>
        public const int MaxRequestBytes = 32 * 1024;
        // Header, status, and one descriptor per page the data touches (one more than its length needs when unaligned).
        private const int MaxSegments = MaxRequestBytes / 4096 + 1 + 2;
        private const int SlotBytes = 32; // 16-byte header, status byte, padding
        private const int MaxSlots = 4096 / SlotBytes;
        private const int ErrorFault = -14; // EFAULT

        private static readonly VirtioBlockDevice?[] s_byVector = new VirtioBlockDevice?[256];

        private readonly VirtioTransport _transport;
        private readonly SplitVirtqueue _queue;
        private readonly bool _readOnly;
        private readonly byte* _slotMemory;
        private readonly KernelSemaphore _freeSlots;
        private readonly KernelSemaphore[] _completions;
        private readonly int[] _slotOfHead;
        private readonly int[] _freeSlotStack;
        private int _freeSlotCount;
        private SpinLock _lock; // the virtqueue, the slot stack and the head map
        private long _interrupts;
        private int _peakInFlight;

        internal VirtioBlockDevice(string name, ulong sectorCount, bool readOnly, VirtioTransport transport, SplitVirtqueue queue, byte* slotMemory)
            : base(name, sectorCount)
        {
            _transport = transport;
            _queue = queue;
            _readOnly = readOnly;
            _slotMemory = slotMemory;
            int slots = queue.Size / MaxSegments;
            if (slots > MaxSlots)
                slots = MaxSlots;
            SlotCount = slots;
            _freeSlots = new KernelSemaphore(slots);
            _completions = new KernelSemaphore[slots];
            _freeSlotStack = new int[slots];
            for (int i = 0; i < slots; i++)
            {
                _completions[i] = new KernelSemaphore(0);
                _freeSlotStack[i] = i;
            }
            _freeSlotCount = slots;
            _slotOfHead = new int[queue.Size];
        }

        public override bool IsReadOnly => _readOnly;
        public bool IsLegacy => _transport.IsLegacy;
        public ushort QueueSize => _queue.Size;

        /// <summary>How many requests may be in flight at once.</summary>
        public int SlotCount { get; }

        public long Interrupts => Volatile.Read(ref _interrupts);

        /// <summary>The most requests the device has had at once since <see cref="ResetPeakInFlight"/>.</summary>
        public int PeakInFlight => Volatile.Read(ref _peakInFlight);

        public void ResetPeakInFlight() => Volatile.Write(ref _peakInFlight, 0);

        /// <summary>The smallest queue that holds one request of the largest size.</summary>
        internal static ushort MinimumQueueSize => MaxSegments;

        /// <summary>Routes <paramref name="vector"/> to this device's completion handler.</summary>
        internal bool Attach(byte vector)
        {
            s_byVector[vector] = this;
            return TrapDispatcher.Register(vector, &OnInterrupt);
        }

        [MaySleep]
        protected override int ReadSectors(ulong sector, Span<byte> destination)
        {
            fixed (byte* data = destination)
                return Transfer(VirtioBlkRequest.TypeIn, sector, data, destination.Length);
        }

        [MaySleep]
        protected override int WriteSectors(ulong sector, ReadOnlySpan<byte> source)
        {
            fixed (byte* data = source)
                return Transfer(VirtioBlkRequest.TypeOut, sector, data, source.Length);
        }

        [MaySleep]
        private int Transfer(uint type, ulong sector, byte* data, int length)
        {
            while (length > 0)
            {
                int chunk = length < MaxRequestBytes ? length : MaxRequestBytes;
                int result = TransferChunk(type, sector, data, chunk);
                if (result != 0)
                    return result;
                sector += (ulong)(chunk / SectorSize);
                data += chunk;
                length -= chunk;
            }
            return 0;
        }

        [MaySleep]
        private int TransferChunk(uint type, ulong sector, byte* data, int length)
        {
            Span<VirtqueueBuffer> buffers = stackalloc VirtqueueBuffer[MaxSegments];
            int slot = TakeSlot();
            byte* header = _slotMemory + slot * SlotBytes;
            byte* status = header + VirtioBlkRequest.HeaderSize;
            VirtioBlkRequest.EncodeHeader(new Span<byte>(header, VirtioBlkRequest.HeaderSize), type, sector);
            *status = VirtioBlkRequest.StatusPending;
            int count = 0;
            buffers[count++] = new VirtqueueBuffer((ulong)header, VirtioBlkRequest.HeaderSize, false);
            if (!AddDataSegments(buffers, ref count, data, length, type == VirtioBlkRequest.TypeIn))
            {
                ReturnSlot(slot);
                return ErrorFault;
            }
            buffers[count++] = new VirtqueueBuffer((ulong)status, 1, true);

            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            int head = _queue.Add(buffers.Slice(0, count));
            if (head >= 0)
            {
                _slotOfHead[head] = slot;
                if (_queue.InFlight > _peakInFlight)
                    _peakInFlight = _queue.InFlight;
                _transport.Notify(0);
            }
            _lock.Unlock(wereEnabled);
            if (head < 0)
            {
                ReturnSlot(slot);
                return ErrorIo;
            }
            _completions[slot].Wait();
            int result = VirtioBlkRequest.StatusToErrno(Volatile.Read(ref *status));
            ReturnSlot(slot);
            return result;
        }

        /// <summary>
        /// One descriptor per physically contiguous run of the buffer. Each page is touched first, so a
        /// lazily mapped stack page is populated (the fault handler may sleep: interrupts are on here).
        /// </summary>
        private static bool AddDataSegments(Span<VirtqueueBuffer> buffers, ref int count, byte* data, int length, bool deviceWrites)
        {
            ulong address = (ulong)data;
            ulong end = address + (ulong)length;
            while (address < end)
            {
                ulong pageEnd = (address & ~4095UL) + 4096;
                uint piece = (uint)((pageEnd < end ? pageEnd : end) - address);
                Volatile.Read(ref *(byte*)address);
                ulong physical = PhysicalAddress(address);
                if (physical == 0)
                    return false;
                VirtqueueBuffer last = count > 0 ? buffers[count - 1] : default;
                if (count > 1 && last.PhysicalAddress + last.Length == physical)
                    buffers[count - 1] = new VirtqueueBuffer(last.PhysicalAddress, last.Length + piece, deviceWrites);
                else if (count < buffers.Length - 1)
                    buffers[count++] = new VirtqueueBuffer(physical, piece, deviceWrites);
                else
                    return false;
                address += piece;
            }
            return true;
        }

        private static ulong PhysicalAddress(ulong address)
        {
            ulong entry = KernelPageTables.Translate(address);
            if ((entry & PageTableEntry.Present) == 0)
                return 0;
            ulong frame = entry & PageTableEntry.AddressMask;
            return (entry & PageTableEntry.LargePage) != 0
                ? (frame & ~0x1FFFFFUL) | (address & 0x1FFFFF)
                : frame | (address & 4095);
        }

        [MaySleep]
        private int TakeSlot()
        {
            _freeSlots.Wait(); // a slot is free for us now: the pop below cannot come up empty
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            int slot = _freeSlotStack[--_freeSlotCount];
            _lock.Unlock(wereEnabled);
            return slot;
        }

        private void ReturnSlot(int slot)
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            _freeSlotStack[_freeSlotCount++] = slot;
            _lock.Unlock(wereEnabled);
            _freeSlots.Release();
        }

        [PopulatedStack]
        [RequiresInterruptsDisabled]
        private static void OnInterrupt(TrapFrame* frame)
        {
            VirtioBlockDevice? device = s_byVector[(int)(frame->Vector & 0xFF)];
            if (device != null)
                device.CompleteFinished();
            LocalApic.EndOfInterrupt();
        }

        [RequiresInterruptsDisabled]
        private void CompleteFinished()
        {
            Interlocked.Increment(ref _interrupts);
            _lock.LockWithInterruptsOff();
            while (_queue.TryTakeUsed(out ushort head, out _))
                _completions[_slotOfHead[head]].Release();
            _lock.UnlockWithInterruptsOff();
        }
    }
}
