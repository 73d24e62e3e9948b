namespace Osv.Cli.Qemu;

/// <summary>
/// A raw disk image attached as a virtio-blk PCI device. <see cref="Legacy"/> turns the modern
/// interface off (`disable-modern=on`), so the guest must drive the legacy I/O-port transport.
/// </summary>
public sealed record DiskAttachment(string Path, bool Legacy = false)
{
    /// <summary>QEMU's -drive and -device arguments for the disk with drive id `d<paramref name="index"/>`.</summary>
    public string[] QemuArguments(int index)
    {
        string id = "d" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // QEMU's option syntax escapes a comma inside a value by doubling it.
        string file = Path.Replace(",", ",,", System.StringComparison.Ordinal);
        string device = "virtio-blk-pci,drive=" + id + (Legacy ? ",disable-modern=on" : "");
        return new[] { "-drive", $"file={file},if=none,id={id},format=raw", "-device", device };
    }
}
