using Osv.Vfs.Formats;
using Xunit;

namespace Osv.Vfs.Tests;

public class BlockSizesTests
{
    [Fact]
    public void SectorIsTheDiskSectorSize() => Assert.Equal(512, BlockSizes.Sector);
}
