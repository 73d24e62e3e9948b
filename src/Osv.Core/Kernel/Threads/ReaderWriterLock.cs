using Osv.Annotations;
using Osv.Arch.X64.Smp;

namespace Osv.Core.Threads
{
    /// <summary>
    /// Many readers or one writer. Writers are preferred: once a writer waits, new readers queue
    /// behind it, so a stream of readers cannot starve it. Release wakes the next writer, or every
    /// waiting reader; woken threads check the state again.
    /// </summary>
    public sealed class ReaderWriterLock
    {
        private int _readers;
        private bool _writer;
        private int _waitingWriters;
        private SpinLock _lock;
        private readonly WaitQueue _readerQueue = new WaitQueue();
        private readonly WaitQueue _writerQueue = new WaitQueue();

        public int Readers => _readers;
        public bool HasWriter => _writer;

        [MaySleep]
        public void EnterRead()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            while (_writer || _waitingWriters > 0)
            {
                _readerQueue.BlockCurrent(ref _lock);
                _lock.LockWithInterruptsOff();
            }
            _readers++;
            _lock.Unlock(wereEnabled);
        }

        public void ExitRead()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            if (_readers > 0 && --_readers == 0)
                _writerQueue.WakeOne();
            _lock.Unlock(wereEnabled);
        }

        [MaySleep]
        public void EnterWrite()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            _waitingWriters++;
            while (_writer || _readers > 0)
            {
                _writerQueue.BlockCurrent(ref _lock);
                _lock.LockWithInterruptsOff();
            }
            _waitingWriters--;
            _writer = true;
            _lock.Unlock(wereEnabled);
        }

        public void ExitWrite()
        {
            Stack.PrefaultNextPageIfPreemptible();
            bool wereEnabled = _lock.Lock();
            _writer = false;
            if (_waitingWriters > 0)
                _writerQueue.WakeOne();
            else
                _readerQueue.WakeAll();
            _lock.Unlock(wereEnabled);
        }
    }
}
