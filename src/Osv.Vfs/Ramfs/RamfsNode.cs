using System;
using Osv.Vfs.Formats;
using Osv.Vfs.Vfs;

namespace Osv.Vfs.Ramfs;

/// <summary>
/// A ramfs file, directory or symlink. A node lives while a name links it or the VFS holds it:
/// the last of the two to go frees its memory and the object. Directories keep a singly linked list
/// of <see cref="RamfsEntry"/> in creation order. Called under the file system's lock.
/// </summary>
internal sealed unsafe class RamfsNode : Vnode
{
    private readonly RamfsFileSystem _fileSystem;
    private uint _permissions;
    private ulong _linkCount;
    private Timestamp _accessTime;
    private Timestamp _modificationTime;
    private Timestamp _changeTime;

    // Regular files: contiguous data, grown by doubling. Symlinks: the target in _data.
    private byte* _data;
    private long _size;
    private long _capacity;

    // Directories.
    private RamfsEntry? _first;
    private RamfsEntry? _last;
    private ulong _nextSerial;
    private int _entryCount;
    public RamfsNode? Parent;

    public RamfsNode(RamfsFileSystem fileSystem, ulong nodeId, VnodeType type, uint permissions, Timestamp now)
        : base(fileSystem, nodeId, type)
    {
        _fileSystem = fileSystem;
        _permissions = permissions & FileModes.PermissionMask;
        _linkCount = type == VnodeType.Directory ? 2UL : 1UL;
        _accessTime = _modificationTime = _changeTime = now;
    }

    private NativeAllocator Allocator => _fileSystem.Allocator;

    public override void GetAttributes(out VnodeAttributes attributes)
    {
        attributes = default;
        attributes.Mode = FileModes.TypeBits(Type) | _permissions;
        attributes.LinkCount = _linkCount;
        attributes.Size = IsDirectory ? _entryCount * 32L : _size;
        attributes.Blocks = (_capacity + 511) / 512;
        attributes.BlockSize = 4096;
        attributes.AccessTime = _accessTime;
        attributes.ModificationTime = _modificationTime;
        attributes.ChangeTime = _changeTime;
    }

    // ---- directories ----

    private RamfsEntry? Find(ReadOnlySpan<byte> name, out RamfsEntry? previous)
    {
        previous = null;
        for (RamfsEntry? entry = _first; entry is not null; entry = entry.Next)
        {
            if (ByteSpans.Equal(entry.NameSpan, name))
                return entry;
            previous = entry;
        }
        return null;
    }

    public override long Lookup(ReadOnlySpan<byte> name, out Vnode? found)
    {
        found = null;
        if (!IsDirectory)
            return -Errno.ENOTDIR;
        RamfsNode? node = name.Length == 2 && name[0] == '.' && name[1] == '.' ? Parent : Find(name, out _)?.Node;
        if (node is null)
            return -Errno.ENOENT;
        node.Hold();
        found = node;
        return 0;
    }

    /// <summary>Links <paramref name="node"/> under <paramref name="name"/>; -ENOSPC when the name cannot be stored.</summary>
    private long AddEntry(ReadOnlySpan<byte> name, RamfsNode node)
    {
        byte* copy = (byte*)Allocator.Allocate((nuint)name.Length);
        if (copy == null)
            return -Errno.ENOSPC;
        name.CopyTo(new Span<byte>(copy, name.Length));
        Append(new RamfsEntry(copy, name.Length, node, 0));
        return 0;
    }

    private void Append(RamfsEntry entry)
    {
        entry.Serial = _nextSerial++;
        entry.Next = null;
        if (_last is null)
            _first = entry;
        else
            _last.Next = entry;
        _last = entry;
        _entryCount++;
        Touch(modified: true);
    }

    private void Detach(RamfsEntry entry, RamfsEntry? previous)
    {
        if (previous is null)
            _first = entry.Next;
        else
            previous.Next = entry.Next;
        if (_last == entry)
            _last = previous;
        _entryCount--;
        Touch(modified: true);
    }

    private long CreateChild(ReadOnlySpan<byte> name, VnodeType type, uint permissions, out RamfsNode? created)
    {
        created = null;
        if (!IsDirectory)
            return -Errno.ENOTDIR;
        if (_linkCount == 0)
            return -Errno.ENOENT; // removed directory
        if (Find(name, out _) is not null)
            return -Errno.EEXIST;
        RamfsNode node = _fileSystem.NewNode(type, permissions);
        long status = AddEntry(name, node);
        if (status != 0)
        {
            node.FreeNode();
            return status;
        }
        if (type == VnodeType.Directory)
        {
            node.Parent = this;
            _linkCount++;
        }
        created = node;
        return 0;
    }

    public override long CreateFile(ReadOnlySpan<byte> name, uint permissions, out Vnode? created)
    {
        long status = CreateChild(name, VnodeType.Regular, permissions, out RamfsNode? node);
        node?.Hold();
        created = node;
        return status;
    }

    public override long MakeDirectory(ReadOnlySpan<byte> name, uint permissions) => CreateChild(name, VnodeType.Directory, permissions, out _);

    public override long MakeSymlink(ReadOnlySpan<byte> name, ReadOnlySpan<byte> target)
    {
        byte* copy = (byte*)Allocator.Allocate((nuint)target.Length);
        if (copy == null)
            return -Errno.ENOSPC;
        target.CopyTo(new Span<byte>(copy, target.Length));
        long status = CreateChild(name, VnodeType.Symlink, 0x1FF, out RamfsNode? link);
        if (status != 0)
        {
            Allocator.Free(copy);
            return status;
        }
        link!._data = copy;
        link._size = target.Length;
        return 0;
    }

    public override long Link(ReadOnlySpan<byte> name, Vnode target)
    {
        if (_linkCount == 0)
            return -Errno.ENOENT;
        if (Find(name, out _) is not null)
            return -Errno.EEXIST;
        var node = (RamfsNode)target;
        if (node._linkCount == 0)
            return -Errno.ENOENT; // linking an unlinked file back (without O_TMPFILE) is ENOENT
        long status = AddEntry(name, node);
        if (status == 0)
        {
            node._linkCount++;
            node.Touch(modified: false);
        }
        return status;
    }

    public override long Unlink(ReadOnlySpan<byte> name)
    {
        RamfsEntry? entry = Find(name, out RamfsEntry? previous);
        if (entry is null)
            return -Errno.ENOENT;
        if (entry.Node.IsDirectory)
            return -Errno.EISDIR;
        Detach(entry, previous);
        RamfsNode node = entry.Node;
        FreeEntry(entry);
        node.DropLink();
        return 0;
    }

    public override long RemoveDirectory(ReadOnlySpan<byte> name)
    {
        RamfsEntry? entry = Find(name, out RamfsEntry? previous);
        if (entry is null)
            return -Errno.ENOENT;
        RamfsNode node = entry.Node;
        if (!node.IsDirectory)
            return -Errno.ENOTDIR;
        if (node._first is not null)
            return -Errno.ENOTEMPTY;
        Detach(entry, previous);
        FreeEntry(entry);
        _linkCount--;
        node._linkCount = 1;
        node.DropLink();
        return 0;
    }

    public override long Rename(ReadOnlySpan<byte> oldName, Vnode newDirectory, ReadOnlySpan<byte> newName)
    {
        var destination = (RamfsNode)newDirectory;
        RamfsEntry? entry = Find(oldName, out RamfsEntry? previous);
        if (entry is null)
            return -Errno.ENOENT;
        if (destination._linkCount == 0)
            return -Errno.ENOENT;
        RamfsNode moving = entry.Node;
        RamfsEntry? replaced = destination.Find(newName, out RamfsEntry? replacedPrevious);
        if (replaced is not null)
        {
            RamfsNode victim = replaced.Node;
            if (victim == moving)
                return 0; // two names of one file: nothing to do
            if (moving.IsDirectory != victim.IsDirectory)
                return moving.IsDirectory ? -Errno.ENOTDIR : -Errno.EISDIR;
            if (victim.IsDirectory && victim._first is not null)
                return -Errno.ENOTEMPTY;
        }

        byte* name = (byte*)Allocator.Allocate((nuint)newName.Length);
        if (name == null)
            return -Errno.ENOSPC;
        newName.CopyTo(new Span<byte>(name, newName.Length));

        if (replaced is not null)
        {
            RamfsNode victim = replaced.Node;
            // The replaced entry may sit just before the moving one in the same directory.
            if (destination == this && replaced.Next == entry)
                previous = replacedPrevious;
            destination.Detach(replaced, replacedPrevious);
            FreeEntry(replaced);
            if (victim.IsDirectory)
            {
                destination._linkCount--;
                victim._linkCount = 1;
            }
            victim.DropLink();
        }

        Detach(entry, previous);
        Allocator.Free(entry.Name);
        entry.Name = name;
        entry.NameLength = newName.Length;
        destination.Append(entry);
        if (moving.IsDirectory && destination != this)
        {
            _linkCount--;
            destination._linkCount++;
            moving.Parent = destination;
        }
        moving.Touch(modified: false);
        return 0;
    }

    public override long ReadDirectory(ulong position, out DirectoryEntry entry)
    {
        entry = default;
        if (!IsDirectory)
            return -Errno.ENOTDIR;
        for (RamfsEntry? candidate = _first; candidate is not null; candidate = candidate.Next)
        {
            if (candidate.Serial >= position)
            {
                entry = new DirectoryEntry(candidate.NameSpan, candidate.Node.NodeId, candidate.Node.Type, candidate.Serial + 1);
                return 1;
            }
        }
        return 0;
    }

    // ---- data ----

    public override long Read(ulong offset, Span<byte> destination, int flags)
    {
        if (Type != VnodeType.Regular)
            return base.Read(offset, destination, flags);
        if (offset >= (ulong)_size)
            return 0;
        long count = _size - (long)offset;
        if (count > destination.Length)
            count = destination.Length;
        new ReadOnlySpan<byte>(_data + offset, (int)count).CopyTo(destination);
        _accessTime = _fileSystem.Now();
        return count;
    }

    public override long Write(ulong offset, ReadOnlySpan<byte> source, int flags)
    {
        if (Type != VnodeType.Regular)
            return base.Write(offset, source, flags);
        if (offset > (ulong)RamfsFileSystem.MaxFileSize || (long)offset + source.Length > RamfsFileSystem.MaxFileSize)
            return -Errno.EFBIG;
        long end = (long)offset + source.Length;
        if (end > _size)
        {
            long status = Resize(end);
            if (status != 0)
                return status;
        }
        source.CopyTo(new Span<byte>(_data + offset, source.Length));
        Touch(modified: true);
        return source.Length;
    }

    public override long Truncate(ulong length)
    {
        if (Type != VnodeType.Regular)
            return base.Truncate(length);
        if (length > (ulong)RamfsFileSystem.MaxFileSize)
            return -Errno.EFBIG;
        long status = Resize((long)length);
        if (status == 0)
            Touch(modified: true);
        return status;
    }

    /// <summary>Sets the size; new bytes are zero. Shrinking to 0 gives the memory back.</summary>
    private long Resize(long size)
    {
        if (size > _capacity)
        {
            long capacity = _capacity < 64 ? 64 : _capacity * 2;
            if (capacity < size)
                capacity = size;
            byte* data = (byte*)Allocator.Allocate((nuint)capacity);
            if (data == null)
                return -Errno.ENOSPC;
            if (_data != null)
            {
                Buffer.MemoryCopy(_data, data, capacity, _size);
                Allocator.Free(_data);
            }
            _data = data;
            _capacity = capacity;
        }
        if (size > _size)
            new Span<byte>(_data + _size, (int)(size - _size)).Clear();
        _size = size;
        if (size == 0 && _data != null)
        {
            Allocator.Free(_data);
            _data = null;
            _capacity = 0;
        }
        return 0;
    }

    public override long ReadLink(Span<byte> destination)
    {
        if (Type != VnodeType.Symlink)
            return -Errno.EINVAL;
        int count = _size < destination.Length ? (int)_size : destination.Length;
        new ReadOnlySpan<byte>(_data, count).CopyTo(destination);
        return count;
    }

    public override long LinkLength => Type == VnodeType.Symlink ? _size : -Errno.EINVAL;

    // ---- metadata ----

    public override long SetPermissions(uint permissions)
    {
        _permissions = permissions & FileModes.PermissionMask;
        Touch(modified: false);
        return 0;
    }

    public override long SetTimes(Timestamp access, Timestamp modification)
    {
        Timestamp now = _fileSystem.Now();
        _accessTime = TimeUpdate.Apply(access, _accessTime, now);
        _modificationTime = TimeUpdate.Apply(modification, _modificationTime, now);
        _changeTime = now;
        return 0;
    }

    // ---- lifetime ----

    private void Touch(bool modified)
    {
        Timestamp now = _fileSystem.Now();
        if (modified)
            _modificationTime = now;
        _changeTime = now;
    }

    private void FreeEntry(RamfsEntry entry)
    {
        Allocator.Free(entry.Name);
        ObjectRelease.Free(entry);
    }

    /// <summary>One name fewer; the node goes when none is left and nobody holds it.</summary>
    private void DropLink()
    {
        _linkCount--;
        if (_linkCount == 0 && References == 0)
            FreeNode();
    }

    protected override void OnLastRelease()
    {
        if (_linkCount == 0)
            FreeNode();
    }

    private void FreeNode()
    {
        if (_data != null)
            Allocator.Free(_data);
        _data = null;
        _fileSystem.LiveNodes--;
        ObjectRelease.Free(this);
    }

    /// <summary>Unmount: frees every entry and every node below (a node with several links goes with its last).</summary>
    public void DestroyTree()
    {
        RamfsEntry? entry = _first;
        while (entry is not null)
        {
            RamfsEntry? next = entry.Next;
            RamfsNode child = entry.Node;
            FreeEntry(entry);
            if (child.IsDirectory)
                child.DestroyTree();
            else if (--child._linkCount == 0)
                child.FreeNode();
            entry = next;
        }
        _first = _last = null;
        FreeNode();
    }
}
