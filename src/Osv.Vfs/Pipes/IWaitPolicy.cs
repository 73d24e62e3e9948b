namespace Osv.Vfs.Pipes;

/// <summary>
/// How a pipe (or any self-synchronizing vnode) locks and blocks. The kernel implements it with a
/// mutex and a condition variable (Osv.Core.Threads); host tests with no threads use
/// <see cref="NonBlockingWaitPolicy"/> or a scripted one. One instance per pipe.
/// </summary>
public interface IWaitPolicy
{
    void Acquire();
    void Release();

    /// <summary>
    /// Called with the lock held when an operation must block: sleeps until <see cref="WakeAll"/>
    /// (the lock released meanwhile, held again on return) and returns 0 to make the caller look
    /// again, or -EINTR (a signal) / -EAGAIN (this policy cannot block) to give up.
    /// </summary>
    long Wait();

    /// <summary>Wakes every waiter; called with the lock held after the state changed.</summary>
    void WakeAll();
}
