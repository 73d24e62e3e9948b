namespace Osv.Vfs.Pipes;

/// <summary>Makes and frees the <see cref="IWaitPolicy"/> of each new pipe.</summary>
public interface IWaitPolicyFactory
{
    /// <summary>A new policy, or null when out of memory.</summary>
    IWaitPolicy? Create();

    void Destroy(IWaitPolicy policy);
}
