namespace Osv.Core.Boot;

/// <summary>One <c>--mount-fs=&lt;type&gt;,&lt;device&gt;,&lt;path&gt;</c> request from the kernel command line.</summary>
public sealed class MountRequest
{
    public MountRequest(string type, string device, string path)
    {
        Type = type;
        Device = device;
        Path = path;
    }

    /// <summary>File system type, e.g. <c>zfs</c>, <c>rofs</c>, <c>virtiofs</c>.</summary>
    public string Type { get; }

    /// <summary>Device or source, e.g. <c>/dev/vblk1</c>.</summary>
    public string Device { get; }

    /// <summary>Absolute mount point.</summary>
    public string Path { get; }
}
