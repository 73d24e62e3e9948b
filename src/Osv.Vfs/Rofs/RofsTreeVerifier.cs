using System;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Rofs;

/// <summary>
/// The full-image walk behind <see cref="RofsVolume.Verify"/>: depth-first with an explicit stack
/// of at most <see cref="RofsVolume.MaxTreeDepth"/> frames (no recursion, so a hostile image cannot
/// exhaust the kernel stack), a bitmap of directories seen (cycles, second parents) and one of
/// entries seen (entries shared by two directories), both from the volume's allocator.
/// </summary>
internal static unsafe class RofsTreeVerifier
{
    private struct Frame
    {
        public RofsInode Directory;
        public ulong Next;
        public bool SortedSoFar;
    }

    public static RofsResult Verify(RofsVolume volume, out RofsTreeStatistics statistics)
    {
        statistics = default;
        RofsSuperblock superblock = volume.Superblock;
        ulong directoryBitmapBytes = superblock.InodeCount / 8 + 1;
        ulong entryBitmapBytes = superblock.DirectoryEntryCount / 8 + 1;
        nuint frameBytes = (nuint)(RofsVolume.MaxTreeDepth * sizeof(Frame));
        nuint total = frameBytes + (nuint)(directoryBitmapBytes + entryBitmapBytes);
        byte* memory = (byte*)volume.Allocate(total);
        if (memory == null)
            return RofsResult.Fail(RofsStatus.OutOfMemory, RofsStructure.None, 0, 0);
        new Span<byte>(memory, (int)total).Clear();

        var walk = new Walk(volume, (Frame*)memory, memory + frameBytes, memory + frameBytes + (nuint)directoryBitmapBytes);
        RofsResult result = walk.Run(ref statistics);
        volume.Free(memory);
        return result;
    }

    private ref struct Walk
    {
        private readonly RofsVolume _volume;
        private readonly Frame* _stack;
        private readonly byte* _directoriesSeen;
        private readonly byte* _entriesSeen;
        private int _depth;

        public Walk(RofsVolume volume, Frame* stack, byte* directoriesSeen, byte* entriesSeen)
        {
            _volume = volume;
            _stack = stack;
            _directoriesSeen = directoriesSeen;
            _entriesSeen = entriesSeen;
            _depth = 0;
        }

        public RofsResult Run(ref RofsTreeStatistics statistics)
        {
            RofsResult result = _volume.GetInode(RofsLayout.RootInodeNumber, out RofsInode root);
            if (!result.IsOk)
                return result;
            TestAndSet(_directoriesSeen, root.Number);
            Push(root);
            statistics.Directories = 1;
            statistics.MaxDepth = 1;

            while (_depth > 0)
            {
                Frame* frame = &_stack[_depth - 1];
                if (frame->Next == frame->Directory.Count)
                {
                    _depth--;
                    continue;
                }
                ulong index = frame->Next++;
                result = _volume.ReadDirectoryEntry(frame->Directory, index, out RofsDirectoryEntry entry);
                if (!result.IsOk)
                    return result;
                ulong entryOffset = _volume.DirectoryEntryOffset(entry.Index);
                if (TestAndSet(_entriesSeen, entry.Index))
                    return EntryProblem(RofsStatus.DirectoryEntryShared, entry.Index, entryOffset);
                RofsStatus nameStatus = CheckName(entry.Name);
                if (nameStatus == RofsStatus.Ok)
                    nameStatus = CheckUnique(frame, index, entry.Name);
                if (nameStatus != RofsStatus.Ok)
                    return EntryProblem(nameStatus, entry.Index, entryOffset);

                result = _volume.GetInode(entry.InodeNumber, out RofsInode child);
                if (!result.IsOk)
                    return result.Status == RofsStatus.InodeNumberOutOfRange ? EntryProblem(result.Status, entry.Index, entryOffset) : result;

                if (child.IsDirectory)
                {
                    if (TestAndSet(_directoriesSeen, child.Number))
                        return EntryProblem(OnStack(child.Number) ? RofsStatus.DirectoryCycle : RofsStatus.DirectoryLinkedTwice, entry.Index, entryOffset);
                    if (_depth == RofsVolume.MaxTreeDepth)
                        return EntryProblem(RofsStatus.TreeTooDeep, entry.Index, entryOffset);
                    Push(child);
                    statistics.Directories++;
                    if (_depth > statistics.MaxDepth)
                        statistics.MaxDepth = _depth;
                }
                else if (child.IsSymlink)
                {
                    _volume.ReadSymlink(child, out ReadOnlySpan<byte> target);
                    RofsStatus targetStatus = target.IsEmpty ? RofsStatus.EmptySymlinkTarget
                        : ByteSpans.IndexOf(target, 0) >= 0 ? RofsStatus.InvalidSymlinkTarget : RofsStatus.Ok;
                    if (targetStatus != RofsStatus.Ok)
                        return RofsResult.Fail(targetStatus, RofsStructure.Symlink, child.DataOffset, _volume.SymlinkOffset(child));
                    statistics.Symlinks++;
                }
                else
                {
                    statistics.RegularFiles++;
                    statistics.FileBytes += child.Count;
                }
            }
            return RofsResult.Ok;
        }

        private void Push(in RofsInode directory)
        {
            Frame* frame = &_stack[_depth++];
            frame->Directory = directory;
            frame->Next = 0;
            frame->SortedSoFar = true;
        }

        private readonly bool OnStack(ulong inodeNumber)
        {
            for (int i = 0; i < _depth; i++)
            {
                if (_stack[i].Directory.Number == inodeNumber)
                    return true;
            }
            return false;
        }

        /// <summary>
        /// A name must differ from every earlier one in its directory. While names ascend, the one
        /// before is the only one that could match; after the first descent, compare with all.
        /// </summary>
        private readonly RofsStatus CheckUnique(Frame* frame, ulong index, ReadOnlySpan<byte> name)
        {
            if (index == 0)
                return RofsStatus.Ok;
            if (frame->SortedSoFar)
            {
                _volume.ReadDirectoryEntry(frame->Directory, index - 1, out RofsDirectoryEntry previous);
                int order = ByteSpans.Compare(previous.Name, name);
                if (order == 0)
                    return RofsStatus.DuplicateName;
                if (order < 0)
                    return RofsStatus.Ok;
                frame->SortedSoFar = false;
            }
            for (ulong i = 0; i < index; i++)
            {
                _volume.ReadDirectoryEntry(frame->Directory, i, out RofsDirectoryEntry earlier);
                if (ByteSpans.Equal(earlier.Name, name))
                    return RofsStatus.DuplicateName;
            }
            return RofsStatus.Ok;
        }

        private static RofsStatus CheckName(ReadOnlySpan<byte> name)
        {
            if (name.IsEmpty)
                return RofsStatus.EmptyName;
            if (ByteSpans.IndexOf(name, (byte)'/') >= 0 || ByteSpans.IndexOf(name, 0) >= 0)
                return RofsStatus.InvalidName;
            bool dots = name[0] == '.' && (name.Length == 1 || (name.Length == 2 && name[1] == '.'));
            return dots ? RofsStatus.InvalidName : RofsStatus.Ok;
        }

        private static RofsResult EntryProblem(RofsStatus status, ulong index, ulong offset) =>
            RofsResult.Fail(status, RofsStructure.DirectoryEntry, index, offset);

        /// <summary>Sets bit <paramref name="bit"/>; true if it was set already.</summary>
        private static bool TestAndSet(byte* bitmap, ulong bit)
        {
            byte mask = (byte)(1 << (int)(bit & 7));
            byte* cell = bitmap + (nuint)(bit >> 3);
            bool wasSet = (*cell & mask) != 0;
            *cell |= mask;
            return wasSet;
        }
    }
}
