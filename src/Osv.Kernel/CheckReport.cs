using Osv.Core.Console;

namespace Osv.Kernel
{
    /// <summary>
    /// One console line per in-kernel check (`&lt;prefix&gt;&lt;name&gt;: ok` or `: FAILED`) and a closing count,
    /// for --selftest and the --test suites.
    /// </summary>
    internal struct CheckReport
    {
        private readonly string _linePrefix;
        private string? _suite;
        private readonly string _summaryPrefix;
        private readonly string _passedLabel;
        private int _passed;
        private int _failed;

        public CheckReport(string linePrefix, string summaryPrefix, string passedLabel)
        {
            _linePrefix = linePrefix;
            _summaryPrefix = summaryPrefix;
            _passedLabel = passedLabel;
            _passed = 0;
            _failed = 0;
            _suite = null;
        }

        /// <summary>Lines from now on read `&lt;prefix&gt;&lt;suite&gt;: &lt;name&gt;: ok`.</summary>
        public void BeginSuite(string suite) => _suite = suite;

        public void Check(string name, bool passed)
        {
            KernelConsole.Write(_linePrefix);
            if (_suite != null)
            {
                KernelConsole.Write(_suite);
                KernelConsole.Write(": ");
            }
            KernelConsole.Write(name);
            KernelConsole.WriteLine(passed ? ": ok" : ": FAILED");
            if (passed)
                _passed++;
            else
                _failed++;
        }

        public int Total => _passed + _failed;

        /// <summary>Prints `&lt;summary prefix&gt;N&lt;passed label&gt;M failed`; returns the failures.</summary>
        public int Finish()
        {
            KernelConsole.Write(_summaryPrefix);
            KernelConsole.WriteDecimal((ulong)_passed);
            KernelConsole.Write(_passedLabel);
            KernelConsole.WriteDecimal((ulong)_failed);
            KernelConsole.WriteLine(" failed");
            return _failed;
        }
    }
}
