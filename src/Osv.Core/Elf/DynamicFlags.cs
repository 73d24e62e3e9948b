namespace Osv.Core.Elf;

/// <summary>Bits of DT_FLAGS (DF_*) and DT_FLAGS_1 (DF_1_*) the loader honours or reports.</summary>
public static class DynamicFlags
{
    public const ulong Origin = 0x1;
    public const ulong Symbolic = 0x2;
    public const ulong TextRelocations = 0x4;
    public const ulong BindNow = 0x8;
    /// <summary>The object uses initial-exec TLS: it needs a static TLS block, so it cannot come and go with dlopen freely.</summary>
    public const ulong StaticTls = 0x10;

    public const ulong Now1 = 0x1;
    public const ulong NoDelete1 = 0x8;
    public const ulong Pie1 = 0x08000000;
}
