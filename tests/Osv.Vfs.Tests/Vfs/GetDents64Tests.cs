using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using Osv.Vfs.Vfs;
using Xunit;

namespace Osv.Vfs.Tests.Vfs;

public sealed class GetDents64Tests : VfsTestKit
{
    [Fact]
    public void Records_are_laid_out_byte_by_byte()
    {
        Mkdir("/d");
        WriteFile("/d/abc", "x");
        Assert.Equal(0, Files.Stat(B("/d"), out var dir));
        Assert.Equal(0, Files.Stat(B("/"), out var root));
        Assert.Equal(0, Files.Stat(B("/d/abc"), out var file));
        long fd = Files.Open(B("/d"), OpenFlags.ReadOnly | OpenFlags.Directory, 0);
        var buffer = new byte[256];
        long length = Files.GetDirectoryEntries64((int)fd, buffer);
        Assert.Equal(24 + 24 + 24, length);
        // "." : ino, d_off 1, reclen 24, DT_DIR, ".\0" then zero padding
        var expectedDot = new byte[24];
        BinaryPrimitives.WriteUInt64LittleEndian(expectedDot, dir.Inode);
        BinaryPrimitives.WriteInt64LittleEndian(expectedDot.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(expectedDot.AsSpan(16), 24);
        expectedDot[18] = 4;
        expectedDot[19] = (byte)'.';
        Assert.Equal(expectedDot, buffer.AsSpan(0, 24).ToArray());
        Assert.Equal(root.Inode, BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(24)));
        Assert.Equal((byte)'.', buffer[24 + 20]);
        var third = buffer.AsSpan(48, 24);
        Assert.Equal(file.Inode, BinaryPrimitives.ReadUInt64LittleEndian(third));
        Assert.Equal(24, BinaryPrimitives.ReadUInt16LittleEndian(third.Slice(16)));
        Assert.Equal(8, third[18]); // DT_REG
        Assert.Equal("abc\0", Encoding.ASCII.GetString(third.Slice(19, 4)));
        Assert.Equal(0, Files.GetDirectoryEntries64((int)fd, buffer)); // end
        Files.Close((int)fd);
    }

    [Fact]
    public void Small_buffer_is_EINVAL_and_listing_resumes_where_it_stopped()
    {
        Mkdir("/d");
        for (int i = 0; i < 20; i++)
            WriteFile("/d/file" + i, "x");
        long fd = Files.Open(B("/d"), OpenFlags.ReadOnly | OpenFlags.Directory, 0);
        Assert.Equal(-Errno.EINVAL, Files.GetDirectoryEntries64((int)fd, new byte[10]));
        var names = new List<string>();
        var buffer = new byte[64]; // two records at most
        Assert.Equal(0, Files.Unlink(B("/d/file3"))); // removal before reading is not listed
        long length;
        while ((length = Files.GetDirectoryEntries64((int)fd, buffer)) > 0)
        {
            for (int offset = 0; offset < length;)
            {
                int reclen = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(offset + 16));
                int nameEnd = Array.IndexOf(buffer, (byte)0, offset + 19);
                names.Add(Encoding.ASCII.GetString(buffer, offset + 19, nameEnd - offset - 19));
                offset += reclen;
            }
        }
        Assert.Equal(21, names.Count);
        Assert.Equal(".", names[0]);
        Assert.Equal("..", names[1]);
        Assert.DoesNotContain("file3", names);
        Assert.Equal(0, Files.Seek((int)fd, 0, SeekOrigin.Set));
        Assert.True(Files.GetDirectoryEntries64((int)fd, buffer) > 0);
        Files.Close((int)fd);
        WriteFile("/f", "x");
        fd = Files.Open(B("/f"), OpenFlags.ReadOnly, 0);
        Assert.Equal(-Errno.ENOTDIR, Files.GetDirectoryEntries64((int)fd, buffer));
        Files.Close((int)fd);
    }
}
