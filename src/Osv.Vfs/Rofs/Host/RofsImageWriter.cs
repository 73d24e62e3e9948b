using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Osv.Vfs.Formats;

namespace Osv.Vfs.Rofs.Host;

/// <summary>
/// Writes a <see cref="RofsSourceTree"/> as a rofs image, in OSv's order: superblock, file data
/// (each file padded to whole blocks), then the structure region — directory entries, symlinks,
/// inodes — padded to a block. Names are sorted by their UTF-8 bytes, so the same tree always gives
/// the same bytes. Inodes are numbered depth first: a directory's children get consecutive numbers,
/// each subdirectory's own children following it immediately; a directory's entries are appended
/// once its subtree is written (as OSv's gen-rofs-img.py does).
/// </summary>
public static class RofsImageWriter
{
    /// <summary>The image as bytes.</summary>
    public static byte[] Build(RofsSourceTree tree) => Build(tree, out _);

    public static byte[] Build(RofsSourceTree tree, out RofsImageLayout layout)
    {
        using var stream = new MemoryStream();
        layout = Write(tree, stream);
        return stream.ToArray();
    }

    /// <summary>Writes the image at the start of <paramref name="output"/>, which must be seekable (the superblock comes last).</summary>
    public static RofsImageLayout Write(RofsSourceTree tree, Stream output)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (!output.CanSeek || !output.CanWrite)
            throw new ArgumentException("rofs: the output stream must be writable and seekable");
        var state = new WriterState(output);
        state.WriteImage(tree.Root);
        return state.Layout;
    }

    private sealed class WriterState
    {
        private readonly Stream _output;
        private readonly long _start;
        private readonly List<(uint Mode, ulong DataOffset, ulong Count)> _inodes = new();
        private readonly List<(byte[] Name, ulong Inode)> _entries = new();
        private readonly List<byte[]> _symlinks = new();
        private readonly Dictionary<string, ulong> _inodeNumbers = new(StringComparer.Ordinal);
        private ulong _block;

        public WriterState(Stream output)
        {
            _output = output;
            _start = output.Position;
        }

        public RofsImageLayout Layout { get; private set; } = null!;

        public void WriteImage(RofsSourceNode root)
        {
            _output.Write(new byte[RofsLayout.BlockSize]); // the superblock, filled in last
            _block = 1;
            ulong rootNumber = NewInode("/");
            WriteDirectory(root, rootNumber, depth: 1);

            ulong structureFirstBlock = _block;
            var structure = new MemoryStream();
            var entryOffsets = new List<ulong>(_entries.Count);
            ulong structureStart = structureFirstBlock * RofsLayout.BlockSize;
            Span<byte> header = stackalloc byte[RofsLayout.DirectoryEntryHeaderSize];
            foreach ((byte[] name, ulong inode) in _entries)
            {
                entryOffsets.Add(structureStart + (ulong)structure.Position);
                LittleEndianBytes.WriteUInt64(header, 0, inode);
                LittleEndianBytes.WriteUInt16(header, 8, (ushort)name.Length);
                structure.Write(header);
                structure.Write(name);
            }
            ulong symlinksOffset = structureStart + (ulong)structure.Position;
            foreach (byte[] target in _symlinks)
            {
                LittleEndianBytes.WriteUInt16(header, 0, (ushort)target.Length);
                structure.Write(header.Slice(0, RofsLayout.SymlinkHeaderSize));
                structure.Write(target);
            }
            ulong inodeTableOffset = structureStart + (ulong)structure.Position;
            Span<byte> inodeRecord = stackalloc byte[RofsLayout.InodeSize];
            for (int i = 0; i < _inodes.Count; i++)
            {
                LittleEndianBytes.WriteUInt64(inodeRecord, RofsLayout.InodeModeField, _inodes[i].Mode);
                LittleEndianBytes.WriteUInt64(inodeRecord, RofsLayout.InodeNumberField, (ulong)i + 1);
                LittleEndianBytes.WriteUInt64(inodeRecord, RofsLayout.InodeDataOffsetField, _inodes[i].DataOffset);
                LittleEndianBytes.WriteUInt64(inodeRecord, RofsLayout.InodeCountOrSizeField, _inodes[i].Count);
                structure.Write(inodeRecord);
            }
            ulong structureBlocks = RofsLayout.BlocksFor((ulong)structure.Length);
            if (structureBlocks * RofsLayout.BlockSize > RofsLayout.MaxStructureBytes)
                throw new InvalidOperationException($"rofs: the structure region ({structure.Length} bytes) exceeds the reader's limit of {RofsLayout.MaxStructureBytes} bytes");
            structure.SetLength((long)(structureBlocks * RofsLayout.BlockSize));
            structure.Position = 0;
            structure.CopyTo(_output);
            long end = _output.Position;

            var superblock = new RofsSuperblock(RofsLayout.Magic, RofsLayout.Version, RofsLayout.BlockSize, structureFirstBlock, structureBlocks,
                (ulong)_entries.Count, (ulong)_symlinks.Count, (ulong)_inodes.Count);
            byte[] block = new byte[RofsLayout.BlockSize];
            superblock.Encode(block);
            _output.Position = _start;
            _output.Write(block);
            _output.Position = end;

            Layout = new RofsImageLayout(superblock, entryOffsets, symlinksOffset, inodeTableOffset, (ulong)(end - _start), _inodeNumbers);
        }

        private ulong NewInode(string path)
        {
            _inodes.Add(default);
            ulong number = (ulong)_inodes.Count;
            _inodeNumbers.Add(path, number);
            return number;
        }

        private void WriteDirectory(RofsSourceNode directory, ulong number, int depth)
        {
            if (depth > RofsVolume.MaxTreeDepth)
                throw new InvalidOperationException($"rofs: '{directory.Path}' nests deeper than {RofsVolume.MaxTreeDepth} directories");
            var children = new List<(byte[] Name, RofsSourceNode Node, ulong Number)>();
            foreach (RofsSourceNode child in directory.Children.Values)
                children.Add((Encoding.UTF8.GetBytes(LeafName(child.Path)), child, 0));
            children.Sort((left, right) => ByteSpans.Compare(left.Name, right.Name));

            for (int i = 0; i < children.Count; i++)
            {
                RofsSourceNode node = children[i].Node;
                ulong childNumber = NewInode(node.Path);
                children[i] = (children[i].Name, node, childNumber);
                switch (node.Kind)
                {
                    case RofsSourceKind.Directory:
                        WriteDirectory(node, childNumber, depth + 1);
                        break;
                    case RofsSourceKind.Symlink:
                        _inodes[(int)childNumber - 1] = (RofsLayout.SymlinkMode, (ulong)_symlinks.Count, 1);
                        _symlinks.Add(node.Target!);
                        break;
                    default:
                        ulong firstBlock = _block;
                        _inodes[(int)childNumber - 1] = (RofsLayout.RegularFileMode, firstBlock, WriteFileData(node));
                        break;
                }
            }

            ulong firstEntry = (ulong)_entries.Count;
            foreach ((byte[] name, RofsSourceNode _, ulong childNumber) in children)
                _entries.Add((name, childNumber));
            _inodes[(int)number - 1] = (RofsLayout.DirectoryMode, firstEntry, (ulong)children.Count);
        }

        private static string LeafName(string path) => path.Substring(path.LastIndexOf('/') + 1);

        /// <summary>Writes the file's bytes padded to whole blocks; returns its size.</summary>
        private ulong WriteFileData(RofsSourceNode file)
        {
            long before = _output.Position;
            if (file.Contents != null)
            {
                _output.Write(file.Contents);
            }
            else
            {
                try
                {
                    using FileStream source = File.OpenRead(file.HostPath!);
                    source.CopyTo(_output);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new IOException($"rofs: cannot read host file '{file.HostPath}' for '{file.Path}': {e.Message}", e);
                }
            }
            ulong size = (ulong)(_output.Position - before);
            ulong blocks = RofsLayout.BlocksFor(size);
            _output.Write(new byte[blocks * RofsLayout.BlockSize - size]);
            _block += blocks;
            return size;
        }
    }
}
