using System;
using System.Collections.Generic;
using System.Text;
using Osv.Core.Boot;
using Xunit;

namespace Osv.Core.Tests;

/// <summary>
/// Round trip: random commands of random words (spaces, quotes, backslashes, separators, non-ASCII)
/// are quoted in randomly chosen styles, joined with random separators and empty commands, and
/// parsing must give back exactly the original words and background flags.
/// </summary>
public sealed class CommandLineQuotingPropertyTests
{
    private const string Alphabet = "abcXYZ019/._-=, \t;&'\"\\é€";

    [Theory]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(300)]
    [InlineData(400)]
    public void QuotedWordsSurviveParsing(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 500; trial++)
        {
            var commands = new List<(string[] argv, bool background)>();
            var line = new StringBuilder();
            if (random.Next(2) == 0)
                line.Append("--verbose ");
            line.Append("-- "); // the first word may start with "--" too

            int commandCount = random.Next(0, 4);
            for (int c = 0; c < commandCount; c++)
            {
                string[] argv = new string[random.Next(1, 5)];
                for (int w = 0; w < argv.Length; w++)
                {
                    argv[w] = RandomWord(random);
                    line.Append(Quote(argv[w], random)).Append(Spaces(random, atLeastOne: true));
                }
                bool background = random.Next(3) == 0;
                commands.Add((argv, background));
                line.Append(background ? '&' : ';');
                while (random.Next(4) == 0) // empty commands in between are skipped
                    line.Append(Spaces(random, atLeastOne: false)).Append(random.Next(2) == 0 ? ';' : '&');
                line.Append(Spaces(random, atLeastOne: false));
            }

            string text = line.ToString();
            CommandLineResult result = CommandLineParser.Parse(text);
            Assert.True(result.Succeeded, $"seed {seed} trial {trial}: {result.Error} for [{text}]");
            AppCommand[] parsed = result.Options!.Commands;
            Assert.True(commands.Count == parsed.Length, $"seed {seed} trial {trial}: [{text}]");
            for (int c = 0; c < commands.Count; c++)
            {
                Assert.Equal(commands[c].argv, parsed[c].Argv);
                Assert.Equal(commands[c].background, parsed[c].Background);
            }
        }
    }

    private static string RandomWord(Random random)
    {
        int length = random.Next(0, 8);
        var word = new StringBuilder();
        for (int i = 0; i < length; i++)
            word.Append(Alphabet[random.Next(Alphabet.Length)]);
        return word.ToString();
    }

    private static string Quote(string word, Random random)
    {
        switch (random.Next(3))
        {
            case 0: // backslash before every character that is not plain
                if (word.Length == 0)
                    return "''";
                var escaped = new StringBuilder();
                foreach (char c in word)
                {
                    if (!char.IsLetterOrDigit(c) && "/._-=,".IndexOf(c) < 0)
                        escaped.Append('\\');
                    escaped.Append(c);
                }
                return escaped.ToString();
            case 1: // single quotes; a single quote itself is closed, escaped and reopened
                return "'" + word.Replace("'", "'\\''") + "'";
            default: // double quotes with \" and \\ escapes
                return "\"" + word.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }
    }

    private static string Spaces(Random random, bool atLeastOne)
    {
        int count = random.Next(atLeastOne ? 1 : 0, 3);
        return new string(random.Next(4) == 0 ? '\t' : ' ', count);
    }
}
