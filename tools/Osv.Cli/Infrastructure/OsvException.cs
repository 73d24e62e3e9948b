using System;

namespace Osv.Cli.Infrastructure;

/// <summary>
/// A failure the user must see as one clear message (no stack trace), with the exit status
/// `osv` ends with. Program prints it as "osv: &lt;message&gt;".
/// </summary>
public class OsvException : Exception
{
    public OsvException(string message, int exitCode = 1, string? details = null)
        : base(message)
    {
        ExitCode = exitCode;
        Details = details;
    }

    public int ExitCode { get; }

    /// <summary>Extra text printed after the message, e.g. the output of a failed command.</summary>
    public string? Details { get; }
}
