namespace Osv.Core.Boot;

/// <summary>One application command of the kernel command line.</summary>
public sealed class AppCommand
{
    public AppCommand(string[] argv, bool background)
    {
        Argv = argv;
        Background = background;
    }

    /// <summary>The program path followed by its arguments, quotes and escapes already removed; never empty.</summary>
    public string[] Argv { get; }

    /// <summary>True when the command ended with <c>&amp;</c>: start it and go on without waiting.</summary>
    public bool Background { get; }
}
