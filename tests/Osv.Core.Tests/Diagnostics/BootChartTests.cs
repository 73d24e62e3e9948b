using Osv.Core.Diagnostics;
using Xunit;

namespace Osv.Core.Tests.Diagnostics;

public sealed class BootChartTests
{
    [Fact]
    public void NewChartIsEmpty()
    {
        BootChart chart = BootChart.Create();
        Assert.Equal(0, chart.Count);
    }

    [Fact]
    public void StagesKeepTheOrderTheyWereMarkedIn()
    {
        BootChart chart = BootChart.Create();
        chart.Mark("vmlinux entry", 1_000);
        chart.Mark("premain", 250_000);
        chart.Mark("initialized memory", 240_000); // not sorted by time: kept in marking order
        chart.Mark("SMP launched", 3_000_000);
        Assert.Equal(4, chart.Count);
        Assert.Equal("vmlinux entry", chart.StageName(0));
        Assert.Equal(1_000UL, chart.StageTime(0));
        Assert.Equal("premain", chart.StageName(1));
        Assert.Equal(250_000UL, chart.StageTime(1));
        Assert.Equal("initialized memory", chart.StageName(2));
        Assert.Equal(240_000UL, chart.StageTime(2));
        Assert.Equal("SMP launched", chart.StageName(3));
        Assert.Equal(3_000_000UL, chart.StageTime(3));
    }

    [Fact]
    public void StagesBeyondCapacityAreDropped()
    {
        BootChart chart = BootChart.Create();
        for (int i = 0; i < BootChart.Capacity + 10; i++)
            chart.Mark("stage " + i, (ulong)i * 100);
        Assert.Equal(BootChart.Capacity, chart.Count);
        for (int i = 0; i < BootChart.Capacity; i++)
        {
            Assert.Equal("stage " + i, chart.StageName(i));
            Assert.Equal((ulong)i * 100, chart.StageTime(i));
        }
    }

    [Fact]
    public void CapacityHoldsAFullBoot()
    {
        Assert.True(BootChart.Capacity >= 16);
        BootChart chart = BootChart.Create();
        for (int i = 0; i < BootChart.Capacity; i++)
            chart.Mark("s", 1);
        Assert.Equal(BootChart.Capacity, chart.Count);
    }

    [Fact]
    public void DefaultChartIgnoresMarks()
    {
        BootChart chart = default;
        chart.Mark("too early", 5);
        Assert.Equal(0, chart.Count);
    }
}
