namespace Osv.Core.Memory;

/// <summary>
/// Header written into the first page of a run of free pages; links the run into its size bin.
/// The run's last page carries a <see cref="FreeRunTail"/> so a page freed just after the run
/// finds the run's start in O(1).
/// </summary>
internal unsafe struct FreeRun
{
    /// <summary>Magic mixed with the run's own address: stale or copied headers do not match.</summary>
    public ulong Check;
    public nuint PageCount;
    public FreeRun* Next;
    public FreeRun* Previous;

    public const ulong Magic = 0x46524545_52554E31; // "FREERUN1"

    public static ulong CheckFor(FreeRun* run) => Magic ^ (ulong)(nuint)run;
}

/// <summary>Footer in the last 16 bytes of a free run's last page (a one-page run holds header and footer).</summary>
internal unsafe struct FreeRunTail
{
    public ulong Check;
    public FreeRun* Head;

    public const ulong Magic = 0x46524545_5441494C; // "FREETAIL"

    public static ulong CheckFor(FreeRunTail* tail) => Magic ^ (ulong)(nuint)tail;
}
