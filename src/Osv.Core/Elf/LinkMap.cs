namespace Osv.Core.Elf;

/// <summary>
/// The public head of glibc's struct link_map (&lt;link.h&gt;), one per loaded object, chained in load order:
/// what dlopen's handles point at and what dlinfo(RTLD_DI_LINKMAP), dladdr1(RTLD_DL_LINKMAP) and
/// _dl_find_object's dlfo_link_map hand out. Programs read these five fields and nothing after them.
/// </summary>
public unsafe struct LinkMap
{
    /// <summary>l_addr: the load bias.</summary>
    public ulong Address;
    /// <summary>l_name: the object's path, NUL-terminated ("" for the executable, as glibc).</summary>
    public byte* Name;
    /// <summary>l_ld: the object's dynamic section at run time.</summary>
    public ulong Dynamic;
    public LinkMap* Next;
    public LinkMap* Previous;
}
