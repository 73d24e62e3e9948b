using Osv.Vfs.Vfs;

namespace Osv.Vfs.Pipes;

/// <summary>
/// For one thread (boot, host tests): no lock, and a wait that cannot block, so a blocking read
/// of an empty pipe with writers is -EAGAIN rather than a hang. One shared instance serves every pipe.
/// </summary>
public sealed class NonBlockingWaitPolicy : IWaitPolicy, IWaitPolicyFactory
{
    public void Acquire() { }
    public void Release() { }
    public long Wait() => -Errno.EAGAIN;
    public void WakeAll() { }
    public IWaitPolicy? Create() => this;
    public void Destroy(IWaitPolicy policy) { }
}
