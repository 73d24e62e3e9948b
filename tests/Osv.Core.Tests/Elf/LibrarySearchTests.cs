using System;
using System.Collections.Generic;
using System.Text;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>Where DT_NEEDED libraries are looked for (<see cref="LibrarySearch"/>): RPATH unless RUNPATH, RUNPATH, the defaults; $ORIGIN.</summary>
public sealed class LibrarySearchTests
{
    private static List<string> Candidates(string name, string rPath = "", string runPath = "", string origin = "/app")
    {
        var result = new List<string>();
        var buffer = new byte[256];
        for (int index = 0; index < 64; index++)
        {
            int length = LibrarySearch.Candidate(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(rPath),
                Encoding.ASCII.GetBytes(runPath), Encoding.ASCII.GetBytes(origin), index, buffer);
            if (length == 0)
                return result;
            result.Add(length < 0 ? "(too long)" : Encoding.ASCII.GetString(buffer, 0, length));
        }
        throw new InvalidOperationException("no end");
    }

    [Fact]
    public void WithoutPathsTheDefaultsAreSearchedInOrder() =>
        Assert.Equal(new[] { "/lib64/libgreet.so", "/usr/lib/libgreet.so", "/lib/x86_64-linux-gnu/libgreet.so", "/usr/lib/x86_64-linux-gnu/libgreet.so" },
            Candidates("libgreet.so"));

    [Fact]
    public void RunPathComesBeforeTheDefaultsWithOriginExpanded() =>
        Assert.Equal(new[] { "/lib/libgreet.so", "/opt/app/lib/libgreet.so", "/opt/app/x/libgreet.so", "/lib64/libgreet.so" },
            Candidates("libgreet.so", runPath: "/lib/:$ORIGIN/lib::${ORIGIN}/x", origin: "/opt/app").GetRange(0, 4));

    [Fact]
    public void RPathIsIgnoredWhenThereIsARunPath()
    {
        Assert.Equal("/r/libgreet.so", Candidates("libgreet.so", rPath: "/r")[0]);
        Assert.Equal("/u/libgreet.so", Candidates("libgreet.so", rPath: "/r", runPath: "/u")[0]);
        Assert.DoesNotContain("/r/libgreet.so", Candidates("libgreet.so", rPath: "/r", runPath: "/u"));
    }

    [Fact]
    public void ANameWithASlashIsThePathItself() =>
        Assert.Equal(new[] { "/opt/libgreet.so" }, Candidates("/opt/libgreet.so", runPath: "/lib"));

    [Fact]
    public void ACandidateThatDoesNotFitIsSkippedNotTruncated() =>
        Assert.Equal("(too long)", Candidates("libgreet.so", runPath: new string('d', 300))[0]);
}
