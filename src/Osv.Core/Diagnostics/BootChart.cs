namespace Osv.Core.Diagnostics
{
    /// <summary>Named boot-stage timestamps (nanoseconds since the first boot instruction), for --bootchart.</summary>
    public struct BootChart
    {
        public const int Capacity = 24;

        private string?[] _names;
        private ulong[] _nanoseconds;
        private int _count;

        public static BootChart Create()
        {
            BootChart chart;
            chart._names = new string?[Capacity];
            chart._nanoseconds = new ulong[Capacity];
            chart._count = 0;
            return chart;
        }

        public readonly int Count => _count;
        public readonly string StageName(int index) => _names[index]!;
        public readonly ulong StageTime(int index) => _nanoseconds[index];

        /// <summary>Records a stage; beyond capacity the stage is dropped (the chart is diagnostics only).</summary>
        public void Mark(string stage, ulong nanosecondsSinceBoot)
        {
            if (_names == null || _count == Capacity)
                return;
            _names[_count] = stage;
            _nanoseconds[_count] = nanosecondsSinceBoot;
            _count++;
        }
    }
}
