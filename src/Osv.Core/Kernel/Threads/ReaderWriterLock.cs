using Osv.Annotations;
using Osv.Arch.X64;

namespace Osv.Core.Threads
{
    /// <summary>
    /// Many readers or one writer. Writers are preferred: once a writer waits, new readers queue
    /// behind it, so a stream of readers cannot starve it. Release wakes the next writer, or every
    /// waiting reader.
    /// </summary>
    public sealed class ReaderWriterLock
    {
        private int _readers;
        private bool _writer;
        private int _waitingWriters;
        private readonly WaitQueue _readerQueue = new WaitQueue();
        private readonly WaitQueue _writerQueue = new WaitQueue();

        public int Readers => _readers;
        public bool HasWriter => _writer;

        [MaySleep]
        public void EnterRead()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            while (_writer || _waitingWriters > 0)
                _readerQueue.BlockCurrent();
            _readers++;
            Cpu.RestoreInterrupts(wereEnabled);
        }

        public void ExitRead()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            if (_readers > 0 && --_readers == 0)
                _writerQueue.WakeOne();
            Cpu.RestoreInterrupts(wereEnabled);
        }

        [MaySleep]
        public void EnterWrite()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            _waitingWriters++;
            while (_writer || _readers > 0)
                _writerQueue.BlockCurrent();
            _waitingWriters--;
            _writer = true;
            Cpu.RestoreInterrupts(wereEnabled);
        }

        public void ExitWrite()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = Cpu.SaveAndDisableInterrupts();
            _writer = false;
            if (_waitingWriters > 0)
                _writerQueue.WakeOne();
            else
                _readerQueue.WakeAll();
            Cpu.RestoreInterrupts(wereEnabled);
        }
    }
}
