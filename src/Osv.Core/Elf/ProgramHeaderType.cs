namespace Osv.Core.Elf;

/// <summary>The p_type values the loader acts on.</summary>
public enum ProgramHeaderType : uint
{
    Null = 0,
    Load = 1,
    Dynamic = 2,
    Interpreter = 3,
    Note = 4,
    ProgramHeaders = 6,
    Tls = 7,
    GnuEhFrame = 0x6474E550,
    GnuStack = 0x6474E551,
    GnuRelro = 0x6474E552,
    GnuProperty = 0x6474E553,
}
