namespace Osv.Vfs.Vfs;

/// <summary>A point in time as struct timespec holds it: seconds and nanoseconds since the epoch.</summary>
public readonly struct Timestamp
{
    public Timestamp(long seconds, long nanoseconds)
    {
        Seconds = seconds;
        Nanoseconds = nanoseconds;
    }

    public long Seconds { get; }
    public long Nanoseconds { get; }

    public static Timestamp FromNanoseconds(long nanoseconds) => new Timestamp(nanoseconds / 1_000_000_000, nanoseconds % 1_000_000_000);
}
