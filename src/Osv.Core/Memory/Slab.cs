namespace Osv.Core.Memory;

/// <summary>
/// A one-page slab of equal slots for one size class. The page starts with this header, then
/// an allocation bitmap (one bit per slot, set = in use: makes double frees detectable), then
/// one slack byte per slot (slot size minus requested size: keeps requested-byte stats exact),
/// then the 16-byte aligned slots. Free slots form an intrusive list through their first 8 bytes.
/// </summary>
internal unsafe struct Slab
{
    /// <summary>Magic mixed with the page address: a page that is not a slab almost never matches.</summary>
    public ulong Check;
    public Slab* Next;      // partial-slab list of the size class
    public Slab* Previous;
    public byte* FreeSlots;
    public uint SlotSize;
    public ushort SlotCount;
    public ushort UsedCount;
    public ushort SlackOffset;
    public ushort FirstSlotOffset;
    public int ClassIndex;

    public const ulong Magic = 0x534C4142_50414745; // "SLABPAGE"
    private const nuint SlotAlignment = 16;

    public static ulong CheckFor(Slab* slab) => Magic ^ (ulong)(nuint)slab;

    public static Slab* OfPointer(void* pointer) => (Slab*)((nuint)pointer & ~(PhysicalPageAllocator.PageSize - 1));

    public bool IsFull => UsedCount == SlotCount;

    /// <summary>Turns a fresh page into an empty slab of <paramref name="classIndex"/>.</summary>
    public static Slab* Format(void* page, int classIndex)
    {
        Slab* slab = (Slab*)page;
        uint slotSize = SizeClasses.SlotSize(classIndex);
        ComputeLayout(slotSize, out ushort slotCount, out ushort slackOffset, out ushort firstSlotOffset);

        slab->Check = CheckFor(slab);
        slab->Next = null;
        slab->Previous = null;
        slab->SlotSize = slotSize;
        slab->SlotCount = slotCount;
        slab->UsedCount = 0;
        slab->SlackOffset = slackOffset;
        slab->FirstSlotOffset = firstSlotOffset;
        slab->ClassIndex = classIndex;
        RawMemory.Zero(AllocationBits(slab), PageBitmap.BytesFor(slotCount));

        // Thread the list back to front so slots are handed out in address order.
        byte* head = null;
        for (int index = slotCount - 1; index >= 0; index--)
        {
            byte* slot = SlotAt(slab, (nuint)index);
            *(byte**)slot = head;
            head = slot;
        }
        slab->FreeSlots = head;
        return slab;
    }

    /// <summary>
    /// The most slots of <paramref name="slotSize"/> that fit one page together with the header,
    /// the bitmap and the slack bytes.
    /// </summary>
    public static void ComputeLayout(uint slotSize, out ushort slotCount, out ushort slackOffset, out ushort firstSlotOffset)
    {
        nuint pageSize = PhysicalPageAllocator.PageSize;
        nuint bitmapOffset = BitmapOffset;
        nuint count = (pageSize - bitmapOffset) / slotSize;
        while (true)
        {
            nuint slack = bitmapOffset + PageBitmap.BytesFor(count);
            nuint first = (slack + count + SlotAlignment - 1) & ~(SlotAlignment - 1);
            if (first + count * slotSize <= pageSize)
            {
                slotCount = (ushort)count;
                slackOffset = (ushort)slack;
                firstSlotOffset = (ushort)first;
                return;
            }
            count--;
        }
    }

    public static byte* SlotAt(Slab* slab, nuint index) => (byte*)slab + slab->FirstSlotOffset + index * slab->SlotSize;

    public static ulong* AllocationBits(Slab* slab) => (ulong*)((byte*)slab + BitmapOffset);

    public static byte* SlackBytes(Slab* slab) => (byte*)slab + slab->SlackOffset;

    /// <summary>The slot index of <paramref name="pointer"/>, or -1 if it is not the start of a slot of this slab.</summary>
    public static nint SlotIndexOf(Slab* slab, void* pointer)
    {
        nuint offset = (nuint)pointer - (nuint)slab;
        if (offset < slab->FirstSlotOffset)
            return -1;
        nuint fromFirst = offset - slab->FirstSlotOffset;
        nuint index = fromFirst / slab->SlotSize;
        if (fromFirst % slab->SlotSize != 0 || index >= slab->SlotCount)
            return -1;
        return (nint)index;
    }

    private static nuint BitmapOffset => ((nuint)sizeof(Slab) + 7) & ~(nuint)7;
}
