namespace Osv.Cli.Infrastructure;

/// <summary>A bad command line: printed with the verb's usage, exit status 2.</summary>
public sealed class UsageException : OsvException
{
    public const int UsageExitCode = 2;

    public UsageException(string message, string usage)
        : base(message, UsageExitCode)
    {
        Usage = usage;
    }

    public string Usage { get; }
}
