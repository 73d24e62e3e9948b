namespace Osv.Core.Boot;

/// <summary>What <see cref="CommandLineTokenizer.Next"/> found.</summary>
internal enum CommandLineTokenKind
{
    End,

    /// <summary>A word, with quotes and escapes removed.</summary>
    Word,

    /// <summary><c>;</c>: the command before it runs to completion before the next starts.</summary>
    Sequential,

    /// <summary><c>&amp;</c>: the command before it runs in the background.</summary>
    Background,

    /// <summary>Malformed quoting; the error message is in the token text.</summary>
    Error,
}
