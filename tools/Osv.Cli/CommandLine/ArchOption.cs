using Osv.Cli.Infrastructure;

namespace Osv.Cli.CommandLine;

/// <summary>The --arch option shared by the verbs; only x64 is built so far.</summary>
public static class ArchOption
{
    public static string Parse(ArgumentReader reader, string option)
    {
        string arch = reader.Value(option);
        if (arch != RepositoryLayout.SupportedArch)
            throw reader.Error($"option {option}: unsupported architecture '{arch}' (supported: {RepositoryLayout.SupportedArch})");
        return arch;
    }
}
