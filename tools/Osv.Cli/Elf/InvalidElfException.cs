using Osv.Cli.Infrastructure;

namespace Osv.Cli.Elf;

/// <summary>A file that is not a well-formed little-endian ELF64 file; the message names the file.</summary>
public sealed class InvalidElfException : OsvException
{
    public InvalidElfException(string source, string problem)
        : base($"{source}: {problem}")
    {
    }
}
