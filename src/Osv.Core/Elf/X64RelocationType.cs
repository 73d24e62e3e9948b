namespace Osv.Core.Elf;

/// <summary>The x86-64 psABI relocation types a dynamic linker meets (S symbol, A addend, P place, B load bias).</summary>
public enum X64RelocationType : uint
{
    None = 0,
    /// <summary>S + A, 64 bits.</summary>
    Direct64 = 1,
    /// <summary>S + A - P, 32 bits signed.</summary>
    PcRelative32 = 2,
    /// <summary>Copy the definition's bytes into the executable's own copy (data imported by a non-PIC executable).</summary>
    Copy = 5,
    /// <summary>S: a GOT entry.</summary>
    GlobalData = 6,
    /// <summary>S: a PLT GOT entry (bound now; Osv does no lazy binding).</summary>
    JumpSlot = 7,
    /// <summary>B + A.</summary>
    Relative = 8,
    /// <summary>The TLS module id of the symbol's definer.</summary>
    DtpModule64 = 16,
    /// <summary>The symbol's offset in its module's TLS block, + A.</summary>
    DtpOffset64 = 17,
    /// <summary>The symbol's offset from the thread pointer (static TLS), + A.</summary>
    TpOffset64 = 18,
    /// <summary>The result of calling the resolver at B + A.</summary>
    IRelative = 37,
}
