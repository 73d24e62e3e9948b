namespace Osv.Core.Elf;

/// <summary>e_type values a loader accepts: ET_EXEC is fixed-address, ET_DYN is a shared object or PIE.</summary>
public enum ElfFileType : ushort
{
    Executable = 2,
    SharedObject = 3,
}
