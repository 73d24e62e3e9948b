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
        public static int Run(string suite)
        {
            CheckReport report = new CheckReport("test ", "tests: ", " passed, ");
            bool all = suite == "all";
            if (all || suite == "threads")
            {
                report.BeginSuite("threads");
                ThreadTests.Run(ref report);
            }
            if (all || suite == "sync")
            {
                report.BeginSuite("sync");
                SyncTests.Run(ref report);
            }
            if (all || suite == "timers")
            {
                report.BeginSuite("timers");
                TimerTests.Run(ref report);
            }
            if (all || suite == "rcu")
            {
                report.BeginSuite("rcu");
                RcuTests.Run(ref report);
            }
            if (all || suite == "syscalls")
            {
                report.BeginSuite("syscalls");
                SystemCallTests.Run(ref report);
            }
            if (all || suite == "stacks")
            {
                report.BeginSuite("stacks");
                LazyStackTests.Run(ref report);
            }
            if (all || suite == "libc")
            {
                report.BeginSuite("libc");
                LibcTests.Run(ref report);
            }
            if (all || suite == "libcs")
            {
                report.BeginSuite("libcs");
                LibcsTests.Run(ref report);
            }
            // Only with disks attached does `all` include the disk suite; asked for by name, it needs one.
            if (suite == "blk" || (all && BlockDeviceTests.DiskCount() > 0))
            {
                report.BeginSuite("blk");
                BlockDeviceTests.Run(ref report);
            }
            // The file system suite needs a mounted root, which every boot has (ramfs at least).
            if (suite == "vfs" || (all && VfsTests.Available))
            {
                report.BeginSuite("vfs");
                VfsTests.Run(ref report);
            }
            return report.Finish() + (report.Total == 0 ? 1 : 0); // a suite that ran nothing is a failure
        }
    }
}
