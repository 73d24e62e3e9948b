namespace Osv.Vfs.Vfs;

/// <summary>poll(2) event bits, Linux values (asm-generic/poll.h).</summary>
public static class PollEvents
{
    public const short In = 0x1;
    public const short Priority = 0x2;
    public const short Out = 0x4;
    public const short Error = 0x8;
    public const short HangUp = 0x10;
    public const short Invalid = 0x20;
    public const short ReadNormal = 0x40;
    public const short WriteNormal = 0x100;
}
