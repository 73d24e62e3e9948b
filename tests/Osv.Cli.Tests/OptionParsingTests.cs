using System;
using Osv.Cli.CommandLine;
using Osv.Cli.Infrastructure;
using Osv.Cli.Qemu;
using Xunit;

namespace Osv.Cli.Tests;

public sealed class OptionParsingTests
{
    [Fact]
    public void RunDefaults()
    {
        RunOptions options = RunOptions.Parse(Array.Empty<string>());

        Assert.Equal("/hello", options.CommandLine);
        Assert.Equal("128M", options.Memory);
        Assert.Equal(1, options.Cpus);
        Assert.Equal("q35", options.Machine);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Timeout);
        Assert.False(options.NoBuild);
        Assert.False(options.ShowHelp);
    }

    [Fact]
    public void RunNoDiskTurnsOffTheAutomaticDisk()
    {
        Assert.False(RunOptions.Parse(Array.Empty<string>()).NoDisk);
        Assert.True(RunOptions.Parse(new[] { "--no-disk" }).NoDisk);
    }

    [Fact]
    public void RunAcceptsEveryOptionInBothForms()
    {
        RunOptions options = RunOptions.Parse(new[]
        {
            "-e", "--help", "--memory=32m", "--cpus", "2", "--machine", "microvm", "--timeout=2.5", "--no-build", "--arch", "x64",
        });

        Assert.Equal("--help", options.CommandLine);
        Assert.Equal("32M", options.Memory);
        Assert.Equal(2, options.Cpus);
        Assert.Equal("microvm", options.Machine);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.Timeout);
        Assert.True(options.NoBuild);
    }

    [Fact]
    public void DisksAreRepeatableAndKeepTheirOrder()
    {
        RunOptions options = RunOptions.Parse(new[] { "--disk", "a.img", "--disk-legacy=b.img", "--disk", "c.img" });

        Assert.Equal(
            new[] { new DiskAttachment("a.img"), new DiskAttachment("b.img", Legacy: true), new DiskAttachment("c.img") },
            options.Disks);
        Assert.Empty(RunOptions.Parse(Array.Empty<string>()).Disks);
    }

    [Fact]
    public void DisksNeedAMachineWithPci()
    {
        var error = Assert.Throws<UsageException>(() => RunOptions.Parse(new[] { "--machine", "microvm", "--disk", "a.img" }));

        Assert.Contains("microvm", error.Message);
        Assert.Equal("option --disk needs a value", Assert.Throws<UsageException>(() => RunOptions.Parse(new[] { "--disk" })).Message);
    }

    [Fact]
    public void TheCommandLineMayContainSpacesAndEquals()
    {
        Assert.Equal("--bootchart /app a=b", RunOptions.Parse(new[] { "-e", "--bootchart /app a=b" }).CommandLine);
    }

    [Theory]
    [InlineData("--memory", "lots", "--memory")]
    [InlineData("--memory", "0", "--memory")]
    [InlineData("--cpus", "0", "--cpus")]
    [InlineData("--cpus", "two", "--cpus")]
    [InlineData("--machine", "pc", "--machine")]
    [InlineData("--timeout", "-1", "--timeout")]
    [InlineData("--arch", "arm64", "--arch")]
    public void BadValuesNameTheOption(string option, string value, string named)
    {
        var error = Assert.Throws<UsageException>(() => RunOptions.Parse(new[] { option, value }));

        Assert.Contains(named, error.Message);
        Assert.Contains(value, error.Message);
        Assert.Equal(2, error.ExitCode);
        Assert.StartsWith("usage: osv run", error.Usage);
    }

    [Fact]
    public void UnknownOptionsAndMissingValuesAreUsageErrors()
    {
        Assert.Equal("unknown option '--fast'", Assert.Throws<UsageException>(() => RunOptions.Parse(new[] { "--fast" })).Message);
        Assert.Equal("option -e needs a value", Assert.Throws<UsageException>(() => RunOptions.Parse(new[] { "-e" })).Message);
        Assert.Equal("unexpected argument 'extra'", Assert.Throws<UsageException>(() => RunOptions.Parse(new[] { "extra" })).Message);
        Assert.Equal("option --no-build takes no value", Assert.Throws<UsageException>(() => RunOptions.Parse(new[] { "--no-build=yes" })).Message);
    }

    [Fact]
    public void HelpIsRecognizedByEveryVerb()
    {
        Assert.True(RunOptions.Parse(new[] { "--help" }).ShowHelp);
        Assert.True(BuildOptions.Parse(new[] { "-h" }).ShowHelp);
        Assert.True(TestOptions.Parse(new[] { "--help" }).ShowHelp);
    }

    [Fact]
    public void BuildAndTestRejectUnknownOptions()
    {
        Assert.StartsWith("usage: osv build", Assert.Throws<UsageException>(() => BuildOptions.Parse(new[] { "--nope" })).Usage);
        Assert.Equal("option --arch: unsupported architecture 'arm64' (supported: x64)",
            Assert.Throws<UsageException>(() => BuildOptions.Parse(new[] { "--arch", "arm64" })).Message);
        Assert.StartsWith("usage: osv test", Assert.Throws<UsageException>(() => TestOptions.Parse(new[] { "--nope" })).Usage);
        Assert.Equal("Name~Boot", TestOptions.Parse(new[] { "--filter", "Name~Boot" }).Filter);
    }
}
