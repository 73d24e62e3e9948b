using System;

namespace Osv.Core.Elf;

/// <summary>
/// Everything relocating one object needs besides its own tables: the writable laid-out image, where it
/// runs, its TLS placement, how to resolve symbols and call IFUNC resolvers, and its name for error lines.
/// </summary>
public unsafe struct RelocationContext
{
    /// <summary>A writable <see cref="AddressSpaceView.OfMemory"/> view of the object's segments.</summary>
    public AddressSpaceView Image;
    /// <summary>The object's run-time address for virtual address 0 (B in the psABI formulas).</summary>
    public ulong LoadBias;
    public ulong TlsModuleId;
    /// <summary>Thread pointer + this = the object's static TLS block.</summary>
    public long TlsBlockOffset;
    /// <summary>
    /// Finds a definition for a non-local symbol: (state, reference, result) -> found. Not found is fine for a
    /// weak reference (it binds to 0) and an error naming the symbol for any other.
    /// </summary>
    public delegate*<void*, SymbolReference*, ResolvedSymbol*, bool> Resolve;
    public void* ResolverState;
    /// <summary>Calls an IFUNC resolver at a run-time address and returns the address it picks; null when the caller cannot.</summary>
    public delegate*<ulong, ulong> CallIfuncResolver;
    /// <summary>
    /// The object binds lazily (<see cref="LazyBinding.IsAllowed"/>): a JUMP_SLOT whose non-weak function no
    /// object defines is left to the PLT for its first call instead of failing the load.
    /// </summary>
    public bool DefersMissingFunctions;

    private ByteRange _objectName;

    /// <summary>The object's name for error values (its path or DT_SONAME); the bytes must outlive the context's errors.</summary>
    public ReadOnlySpan<byte> ObjectName
    {
        readonly get => _objectName.Span;
        set => _objectName = ByteRange.Of(value);
    }
}
