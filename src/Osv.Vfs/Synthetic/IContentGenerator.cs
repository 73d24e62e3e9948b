using System;

namespace Osv.Vfs.Synthetic;

/// <summary>
/// Makes the text of a generated file or symlink (/proc/cpuinfo, /proc/mounts, /proc/self/exe): writes
/// what fits in <paramref name="destination"/> and returns the full length, so a caller with too small
/// a buffer learns what to allocate. The kernel supplies these (see <see cref="Vfs.TextSink"/>).
/// </summary>
public interface IContentGenerator
{
    int Generate(Span<byte> destination);
}
