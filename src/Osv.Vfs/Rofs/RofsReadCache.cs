using System;

namespace Osv.Vfs.Rofs;

/// <summary>
/// Read-around cache for file data: a few 4 KiB-aligned windows of the device, replaced least
/// recently used first. A small read pulls in its whole window, so the next sequential reads hit
/// memory (OSv's rofs does the same with larger segments). With zero windows every read goes to
/// the device. Memory comes from the caller's allocator in one block.
/// </summary>
internal unsafe struct RofsReadCache
{
    public const int WindowSize = 4096;
    private const ulong NoWindow = ulong.MaxValue;

    private byte* _data;
    private ulong* _starts;
    private ulong* _lastUse;
    private int _windowCount;
    private ulong _clock;

    public ulong Hits;
    public ulong Misses;

    public readonly int WindowCount => _windowCount;

    /// <summary>Allocates <paramref name="windowCount"/> windows; false if the memory is not there.</summary>
    public bool Initialize(int windowCount, delegate*<nuint, void*> allocate)
    {
        if (windowCount <= 0)
            return true;
        nuint bytes = (nuint)windowCount * (WindowSize + 2 * sizeof(ulong));
        byte* block = (byte*)allocate(bytes);
        if (block == null)
            return false;
        _data = block;
        _starts = (ulong*)(block + (nuint)windowCount * WindowSize);
        _lastUse = _starts + windowCount;
        for (int i = 0; i < windowCount; i++)
        {
            _starts[i] = NoWindow;
            _lastUse[i] = 0;
        }
        _windowCount = windowCount;
        return true;
    }

    public void Release(delegate*<void*, void> free)
    {
        if (_data != null)
            free(_data);
        _data = null;
        _windowCount = 0;
    }

    /// <summary>Reads <paramref name="destination"/> from device byte <paramref name="offset"/> through the windows.</summary>
    public RofsResult Read(IBlockDevice device, ulong offset, Span<byte> destination)
    {
        if (_windowCount == 0)
        {
            Misses++;
            int status = device.Read(offset, destination);
            return status == 0 ? RofsResult.Ok : RofsResult.DeviceFailure(offset, status);
        }

        int done = 0;
        while (done < destination.Length)
        {
            ulong position = offset + (ulong)done;
            ulong start = position & ~(ulong)(WindowSize - 1);
            int window = Find(start);
            if (window < 0)
            {
                Misses++;
                window = Victim();
                ulong available = device.Size - start; // position < Size: the caller checked the range
                int length = available < WindowSize ? (int)available : WindowSize;
                _starts[window] = NoWindow; // a failed read must not leave half a window behind
                int status = device.Read(start, new Span<byte>(_data + (nuint)window * WindowSize, length));
                if (status != 0)
                    return RofsResult.DeviceFailure(start, status);
                _starts[window] = start;
            }
            else
            {
                Hits++;
            }
            _lastUse[window] = ++_clock;

            int inWindow = (int)(position - start);
            int count = WindowSize - inWindow;
            if (count > destination.Length - done)
                count = destination.Length - done;
            new ReadOnlySpan<byte>(_data + (nuint)window * WindowSize + (nuint)inWindow, count).CopyTo(destination.Slice(done));
            done += count;
        }
        return RofsResult.Ok;
    }

    private readonly int Find(ulong start)
    {
        for (int i = 0; i < _windowCount; i++)
        {
            if (_starts[i] == start)
                return i;
        }
        return -1;
    }

    private readonly int Victim()
    {
        int victim = 0;
        for (int i = 1; i < _windowCount; i++)
        {
            if (_lastUse[i] < _lastUse[victim])
                victim = i;
        }
        return victim;
    }
}
