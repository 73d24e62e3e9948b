using System;
using Xunit;

namespace Osv.Vfs.Tests.Support;

/// <summary>Base of tests that mount volumes: starts from a clean allocator and fails if a block is still live at the end.</summary>
public abstract class LeakCheckedTest : IDisposable
{
    protected LeakCheckedTest() => TrackingAllocator.Reset();

    public virtual void Dispose() => Assert.Equal(0, TrackingAllocator.LiveBlocks);
}
