namespace Osv.Core.Elf;

/// <summary>The e_machine values Osv tells apart: the two it runs on.</summary>
public enum ElfMachine : ushort
{
    X86_64 = 62,
    AArch64 = 183,
}
