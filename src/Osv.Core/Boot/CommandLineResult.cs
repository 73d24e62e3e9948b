namespace Osv.Core.Boot;

/// <summary>The outcome of <see cref="CommandLineParser.Parse"/>: options, or one error message.</summary>
public sealed class CommandLineResult
{
    private CommandLineResult(KernelOptions? options, string? error)
    {
        Options = options;
        Error = error;
    }

    /// <summary>Set when parsing succeeded.</summary>
    public KernelOptions? Options { get; }

    /// <summary>Set when parsing failed: one line naming the offending option or quote.</summary>
    public string? Error { get; }

    public bool Succeeded => Options is not null;

    internal static CommandLineResult Success(KernelOptions options) => new CommandLineResult(options, null);

    internal static CommandLineResult Failure(string error) => new CommandLineResult(null, error);
}
