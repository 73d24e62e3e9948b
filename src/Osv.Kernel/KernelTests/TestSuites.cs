using Osv.Annotations;

namespace Osv.Kernel.KernelTests
{
    /// <summary>
    /// `--test=&lt;suite&gt;` in the test image: runs one suite, or every suite for `all`. Each test
    /// prints `test &lt;suite&gt;: &lt;name&gt;: ok|FAILED`; the run ends with `tests: N passed, N failed`.
    /// The names are the ones <see cref="Osv.Core.Boot.CommandLineParser"/> accepts.
    /// </summary>
    [KernelThreadOnly] // runs from the boot thread
    internal static class TestSuites
    {
        /// <summary>Runs the suite (or all of them); returns the number of failed tests.</summary>
        public static unsafe int Run(string suite)
        {
            CheckReport report = new CheckReport("test ", "tests: ", " passed, ");
            RunIf(ref report, suite, "threads", &ThreadTests.Run);
            RunIf(ref report, suite, "sync", &SyncTests.Run);
            RunIf(ref report, suite, "timers", &TimerTests.Run);
            RunIf(ref report, suite, "rcu", &RcuTests.Run);
            RunIf(ref report, suite, "syscalls", &SystemCallTests.Run);
            RunIf(ref report, suite, "stacks", &LazyStackTests.Run);
            RunIf(ref report, suite, "libc", &LibcTests.Run);
            RunIf(ref report, suite, "libcs", &LibcsTests.Run);
            // `all` includes the disk suite only with disks attached; asked for by name, it needs one.
            RunIf(ref report, suite, "blk", &BlockDeviceTests.Run, BlockDeviceTests.DiskCount() > 0);
            // The file system suite needs a mounted root, which every boot has (ramfs at least).
            RunIf(ref report, suite, "vfs", &VfsTests.Run, VfsTests.Available);
            return report.Finish() + (report.Total == 0 ? 1 : 0); // a suite that ran nothing is a failure
        }

        private static unsafe void RunIf(ref CheckReport report, string asked, string name, delegate*<ref CheckReport, void> run, bool partOfAll = true)
        {
            if (asked != name && !(asked == "all" && partOfAll))
                return;
            report.BeginSuite(name);
            run(ref report);
        }
    }
}
