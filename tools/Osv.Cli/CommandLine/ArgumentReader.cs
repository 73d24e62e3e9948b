using System.Collections.Generic;
using Osv.Cli.Infrastructure;

namespace Osv.Cli.CommandLine;

/// <summary>
/// Walks a verb's arguments: options as "--name value" or "--name=value"; errors name the
/// option and carry the verb's usage.
/// </summary>
public sealed class ArgumentReader
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly string _usage;
    private int _next;
    private string? _inlineValue;

    public ArgumentReader(IReadOnlyList<string> arguments, string usage)
    {
        _arguments = arguments;
        _usage = usage;
    }

    /// <summary>Advances to the next option and returns its name (without any "=value"), or null at the end.</summary>
    public string? NextOption()
    {
        if (_next >= _arguments.Count)
            return null;
        string argument = _arguments[_next++];
        _inlineValue = null;
        int equals = argument.IndexOf('=');
        if (argument.StartsWith("--", System.StringComparison.Ordinal) && equals > 2)
        {
            _inlineValue = argument.Substring(equals + 1);
            return argument.Substring(0, equals);
        }
        return argument;
    }

    /// <summary>The current option's value: after '=' or the next argument (which may itself start with '-').</summary>
    public string Value(string option)
    {
        if (_inlineValue != null)
        {
            string inline = _inlineValue;
            _inlineValue = null;
            return inline;
        }
        if (_next >= _arguments.Count)
            throw Error($"option {option} needs a value");
        return _arguments[_next++];
    }

    /// <summary>Rejects "--flag=value" for options that take no value.</summary>
    public void NoValue(string option)
    {
        if (_inlineValue != null)
            throw Error($"option {option} takes no value");
    }

    public UsageException Error(string message) => new(message, _usage);

    public UsageException Unknown(string option) =>
        Error(option.StartsWith('-') ? $"unknown option '{option}'" : $"unexpected argument '{option}'");
}
