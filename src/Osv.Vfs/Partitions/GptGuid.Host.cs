using System;

namespace Osv.Vfs.Partitions;

public readonly partial struct GptGuid
{
    /// <summary>The same 16 bytes: <see cref="Guid.ToByteArray()"/> uses GPT's mixed-endian layout.</summary>
    public static GptGuid FromGuid(Guid guid)
    {
        Span<byte> bytes = stackalloc byte[Size];
        guid.TryWriteBytes(bytes);
        return Read(bytes);
    }

    public Guid ToGuid()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return new Guid(bytes);
    }

    public override string ToString()
    {
        Span<char> text = stackalloc char[TextLength];
        Format(text);
        return new string(text);
    }
}
