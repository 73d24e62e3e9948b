using System;
using Osv.Core.Text;

namespace Osv.Core.Boot;

/// <summary>
/// Splits a kernel command line into words and the separators <c>;</c> and <c>&amp;</c>, with
/// shell-like quoting:
/// <list type="bullet">
/// <item>outside quotes, a backslash takes the next character literally;</item>
/// <item>'single quotes' keep everything literally;</item>
/// <item>"double quotes" keep everything literally except \" and \\.</item>
/// </list>
/// Quoted parts join the unquoted parts next to them into one word (<c>a"b c"d</c> is <c>ab cd</c>).
/// </summary>
internal sealed class CommandLineTokenizer
{
    private readonly string _text;
    private readonly char[] _word; // no word is longer than the whole line
    private int _position;

    public CommandLineTokenizer(string text)
    {
        _text = text;
        _word = new char[text.Length];
    }

    /// <summary>
    /// Reads the next token. For <see cref="CommandLineTokenKind.Word"/> <paramref name="text"/>
    /// is the word, for <see cref="CommandLineTokenKind.Error"/> the message; otherwise null.
    /// </summary>
    public CommandLineTokenKind Next(out string? text)
    {
        text = null;
        while (_position < _text.Length && IsWhitespace(_text[_position]))
            _position++;
        if (_position == _text.Length)
            return CommandLineTokenKind.End;

        char first = _text[_position];
        if (first == ';' || first == '&')
        {
            _position++;
            return first == ';' ? CommandLineTokenKind.Sequential : CommandLineTokenKind.Background;
        }
        return ReadWord(out text);
    }

    private CommandLineTokenKind ReadWord(out string? text)
    {
        int length = 0;
        while (_position < _text.Length)
        {
            char current = _text[_position];
            if (IsWhitespace(current) || current == ';' || current == '&')
                break;

            if (current == '\\')
            {
                if (_position + 1 == _text.Length)
                {
                    text = "dangling backslash at the end of the command line";
                    return CommandLineTokenKind.Error;
                }
                _word[length++] = _text[_position + 1];
                _position += 2;
            }
            else if (current == '\'' || current == '"')
            {
                int opening = _position;
                _position++;
                if (!ReadQuoted(current, ref length))
                {
                    text = UnterminatedQuote(current, opening);
                    return CommandLineTokenKind.Error;
                }
            }
            else
            {
                _word[length++] = current;
                _position++;
            }
        }
        text = new string(new ReadOnlySpan<char>(_word, 0, length));
        return CommandLineTokenKind.Word;
    }

    // Appends the quoted text after an opening quote; false if the closing quote is missing.
    private bool ReadQuoted(char quote, ref int length)
    {
        while (_position < _text.Length)
        {
            char current = _text[_position];
            if (current == quote)
            {
                _position++;
                return true;
            }
            if (quote == '"' && current == '\\' && _position + 1 < _text.Length
                && (_text[_position + 1] == '"' || _text[_position + 1] == '\\'))
            {
                _word[length++] = _text[_position + 1];
                _position += 2;
                continue;
            }
            _word[length++] = current;
            _position++;
        }
        return false;
    }

    private static string UnterminatedQuote(char quote, int opening) =>
        new TextBuilder()
            .Append(quote == '"' ? "unterminated double quote" : "unterminated single quote")
            .Append(" (opened at offset ")
            .Append(opening)
            .Append(')')
            .Build();

    private static bool IsWhitespace(char character) =>
        character == ' ' || character == '\t' || character == '\n' || character == '\r';
}
