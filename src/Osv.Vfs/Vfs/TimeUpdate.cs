namespace Osv.Vfs.Vfs;

/// <summary>
/// utimensat's per-time requests: a <see cref="Timestamp"/> whose nanoseconds are UTIME_NOW or
/// UTIME_OMIT (Linux's values, include/uapi/linux/stat.h) asks for the current time or for no change;
/// any other valid timestamp is the time to set.
/// </summary>
public static class TimeUpdate
{
    public const long Now = (1L << 30) - 1;
    public const long Omit = (1L << 30) - 2;

    public static Timestamp SetToNow => new Timestamp(0, Now);

    public static Timestamp Keep => new Timestamp(0, Omit);

    /// <summary>What Linux accepts: a marker, or nanoseconds in 0..999 999 999 (seconds are not checked).</summary>
    public static bool IsValid(Timestamp request) =>
        request.Nanoseconds == Now || request.Nanoseconds == Omit || (request.Nanoseconds >= 0 && request.Nanoseconds <= 999_999_999);

    /// <summary>The time a node keeps after the request: unchanged, <paramref name="now"/>, or the requested one.</summary>
    public static Timestamp Apply(Timestamp request, Timestamp current, Timestamp now) =>
        request.Nanoseconds == Omit ? current : request.Nanoseconds == Now ? now : request;
}
