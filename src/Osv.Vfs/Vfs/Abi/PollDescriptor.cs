namespace Osv.Vfs.Vfs.Abi;

/// <summary><c>struct pollfd</c>, 8 bytes.</summary>
public struct PollDescriptor
{
    public int Descriptor;
    public short Events;
    public short ReturnedEvents;
}
