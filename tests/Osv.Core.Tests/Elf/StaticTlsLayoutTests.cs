using System;
using System.IO;
using System.Runtime.InteropServices;
using Osv.Core.Elf;
using Xunit;

namespace Osv.Core.Tests.Elf;

/// <summary>
/// Static TLS (<see cref="StaticTlsLayout"/>): the executable's block right below the thread pointer at
/// -(p_memsz rounded up to p_align), as the static linker computes local-exec offsets; later modules below
/// it; blocks filled from the images; __tls_get_addr's answer.
/// </summary>
public sealed unsafe class StaticTlsLayoutTests
{
    [Fact]
    public void TheFirstModuleSitsRightBelowTheThreadPointerAtItsRoundedSize()
    {
        StaticTlsLayout layout = default;

        Assert.True(layout.Add(0x1000, 0x30, 0x180, 0x40, out ulong module, out long offset));

        Assert.Equal(1UL, module);
        Assert.Equal(-0x180L, offset);
        Assert.Equal(0x180UL, layout.Size);
        Assert.Equal(0x40UL, layout.Alignment);
    }

    [Fact]
    public void ASizeThatIsNotAMultipleOfTheAlignmentIsRoundedUpAsTheLinkerDoes()
    {
        StaticTlsLayout layout = default;

        Assert.True(layout.Add(0x1000, 4, 0x14, 8, out _, out long offset));

        Assert.Equal(-0x18L, offset); // ld: TPOFF = sym - round_up(memsz, align)
    }

    [Fact]
    public void LaterModulesGoBelowTheEarlierOnesEachAligned()
    {
        StaticTlsLayout layout = default;
        layout.Add(0x1000, 8, 0x18, 8, out _, out _);

        Assert.True(layout.Add(0x2000, 0, 0x10, 0x40, out ulong module, out long offset));

        Assert.Equal(2UL, module);
        Assert.Equal(-0x40L, offset); // 0x18 + 0x10 = 0x28, rounded up to 64
        Assert.Equal(-0x40L, layout.BlockOffset(2));
        Assert.Equal(0x40UL, layout.Size);
        Assert.Equal(2, layout.Count);
    }

    [Fact]
    public void BadAlignmentsAndAFullTableAreRefused()
    {
        StaticTlsLayout layout = default;

        Assert.False(layout.Add(0, 0, 8, 24, out _, out _));
        Assert.False(layout.Add(0, 0, 8, 8192, out _, out _));
        Assert.False(layout.Add(0, 16, 8, 8, out _, out _)); // more initialized bytes than memory
        for (int i = 0; i < StaticTlsLayout.Capacity; i++)
            Assert.True(layout.Add(0, 0, 8, 8, out _, out _));
        Assert.False(layout.Add(0, 0, 8, 8, out _, out _));
    }

    [Fact]
    public void ABlockIsFilledFromTheImagesAndTbssIsZeroed()
    {
        byte* image = (byte*)NativeMemory.Alloc(8);
        byte* area = (byte*)NativeMemory.Alloc(256);
        try
        {
            for (int i = 0; i < 8; i++)
                image[i] = (byte)(i + 1);
            new Span<byte>(area, 256).Fill(0xEE);
            StaticTlsLayout layout = default;
            layout.Add((ulong)image, 8, 0x20, 16, out ulong module, out _);
            ulong threadPointer = (ulong)area + 128;

            layout.InitializeBlock(threadPointer);

            for (int i = 0; i < 8; i++)
                Assert.Equal((byte)(i + 1), area[128 - 0x20 + i]);
            for (int i = 8; i < 0x20; i++)
                Assert.Equal(0, area[128 - 0x20 + i]);
            Assert.Equal(0xEE, area[128]); // above the thread pointer: untouched
            Assert.Equal(0xEE, area[128 - 0x21]);
            Assert.Equal(threadPointer - 0x20 + 4, layout.Address(threadPointer, module, 4));
            Assert.Equal(0UL, layout.Address(threadPointer, 2, 4));
            Assert.Equal(0UL, layout.Address(threadPointer, 0, 4));
        }
        finally
        {
            NativeMemory.Free(image);
            NativeMemory.Free(area);
        }
    }

    [Fact]
    public void ResetForgetsEveryModule()
    {
        StaticTlsLayout layout = default;
        layout.Add(0, 0, 0x100, 64, out _, out _);

        layout.Reset();

        Assert.Equal(0, layout.Count);
        Assert.Equal(0UL, layout.Size);
        Assert.Equal(1UL, layout.Alignment);
    }

    /// <summary>
    /// Application threads' %fs blocks hold the program's static TLS right below the thread pointer, not the
    /// kernel's own TLS image: kernel code must not use thread statics (they would read the program's bytes).
    /// </summary>
    [Fact]
    public void NoKernelSourceUsesThreadStatics()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory != null && !File.Exists(Path.Combine(directory, "Osv.sln")))
            directory = Path.GetDirectoryName(directory);
        Assert.NotNull(directory);
        foreach (string file in Directory.EnumerateFiles(Path.Combine(directory!, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) || file.Contains("Osv.Analyzers"))
                continue;
            string text = File.ReadAllText(file);
            Assert.False(text.Contains("[ThreadStatic") || text.Contains("ThreadLocal<"), file + " uses a thread static");
        }
    }
}
