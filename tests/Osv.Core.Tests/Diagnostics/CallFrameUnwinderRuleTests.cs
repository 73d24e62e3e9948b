using System;
using Osv.Core.Diagnostics;
using Xunit;
using static Osv.Core.Tests.Diagnostics.CfaRule;

namespace Osv.Core.Tests.Diagnostics;

/// <summary>
/// CallFrameUnwinder on hand-encoded CFI: the instructions and encodings gcc did not produce in the
/// toolchain tests (factored signed forms, restore, nested remember/restore, other encodings,
/// augmentations, version 3 CIEs) and corrupt records. Expected rules are worked out from DWARF 5 §6.4.
/// </summary>
public sealed unsafe class CallFrameUnwinderRuleTests
{
    private static void AssertRows(PlacedEhFrame frame, params (ulong Offset, CfaRule Rule)[] rows)
    {
        using var stack = new StackImage();
        foreach ((ulong offset, CfaRule rule) in rows)
            UnwindAssert.StepFollows(frame.Unwinder, stack, frame.Pc(offset), 0, rule, $"code+{offset:x}");
    }

    [Fact]
    public void PrologueFramePointerAndEpilogueWithRememberState()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0x100, 0x100, Op.Concat(
            Op.AdvanceLoc(1), Op.DefCfaOffset(16), Op.Offset(Rbp, 2),   // push rbp
            Op.AdvanceLoc(3), Op.DefCfaRegister(Rbp),                   // mov rbp, rsp
            Op.AdvanceLoc1(0x40), Op.RememberState, Op.DefCfa(Rsp, 8), Op.Restore(Rbp), // pop rbp (ret follows)
            Op.AdvanceLoc(1), Op.RestoreState));                        // the rest of the body
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame,
            (0x100, OnRsp(8)),
            (0x101, OnRsp(16, rbp: -16)),
            (0x103, OnRsp(16, rbp: -16)),
            (0x104, OnRbp(16, rbp: -16)),
            (0x143, OnRbp(16, rbp: -16)),
            (0x144, OnRsp(8)),
            (0x145, OnRbp(16, rbp: -16)),   // restore_state brings back the CFA rule too
            (0x1FF, OnRbp(16, rbp: -16)));
        Assert.True(frame.Unwinder.Covers(frame.Pc(0x100)));
        Assert.True(frame.Unwinder.Covers(frame.Pc(0x1FF)));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0x200)));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0xFF)));
    }

    [Fact]
    public void FactoredSignedForms()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x20, Op.Concat(
            Op.DefCfaSf(Rsp, -3),            // 24 = -3 * -8
            Op.OffsetExtendedSf(Rbp, 2),     // -16
            Op.AdvanceLoc(4),
            Op.DefCfaOffsetSf(-5),           // 40
            Op.OffsetExtended(16, 2),        // return address at -16
            Op.AdvanceLoc(4),
            Op.DefCfa(Rsp, 48),              // not factored
            Op.OffsetExtendedSf(Rbp, -1)));  // +8: above the CFA
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame,
            (0, OnRsp(24, rbp: -16)),
            (4, OnRsp(40, rbp: -16, ra: -16)),
            (8, OnRsp(48, rbp: 8, ra: -16)));
    }

    [Fact]
    public void RestoreGoesBackToTheCieRulesNotToNothing()
    {
        var builder = new EhFrameBuilder();
        // A CIE that already has rbp saved (at CFA - 16) and CFA = rsp + 16.
        int cie = builder.Cie(Op.Concat(Op.DefCfa(Rsp, 16), Op.Offset(16, 1), Op.Offset(Rbp, 2)));
        builder.Fde(cie, 0, 0x20, Op.Concat(
            Op.Offset(Rbp, 3),
            Op.AdvanceLoc(2), Op.Restore(Rbp),
            Op.AdvanceLoc(2), Op.OffsetExtendedSf(Rbp, 4),
            Op.AdvanceLoc(2), Op.RestoreExtended(Rbp), Op.OffsetExtended(16, 3),
            Op.AdvanceLoc(2), Op.Restore(16)));
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame,
            (0, OnRsp(16, rbp: -24)),
            (2, OnRsp(16, rbp: -16)),
            (4, OnRsp(16, rbp: -32)),
            (6, OnRsp(16, rbp: -16, ra: -24)),
            (8, OnRsp(16, rbp: -16, ra: -8)));
    }

    [Fact]
    public void SameValueMeansRbpIsNotSaved()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x10, Op.Concat(
            Op.DefCfaOffset(16), Op.Offset(Rbp, 2),
            Op.AdvanceLoc(1), Op.SameValue(Rbp),
            Op.AdvanceLoc(1), Op.Offset(Rbp, 2)));
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame, (0, OnRsp(16, rbp: -16)), (1, OnRsp(16)), (2, OnRsp(16, rbp: -16)));
    }

    [Fact]
    public void RulesForOtherRegistersAreSkipped()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x10, Op.Concat(
            Op.GnuArgsSize(0x4F),                // its operand would read as advance_loc 15
            Op.Expression(3, 0x77, 0x08),        // rbx: DW_OP_breg7 8
            Op.Register(12, 3),                  // r12 lives in rbx
            Op.Offset(3, 3),                     // rbx at -24
            Op.OffsetExtendedSf(13, 4),          // r13 at -32
            Op.Undefined(14),
            Op.SameValue(15),
            Op.Restore(3),
            Op.Nop,
            Op.DefCfaOffset(40), Op.Offset(Rbp, 2)));
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame, (0, OnRsp(40, rbp: -16)), (0xF, OnRsp(40, rbp: -16)));
    }

    [Fact]
    public void AdvanceFormsOfEveryWidth()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x20000, Op.Concat(
            Op.AdvanceLoc1(200), Op.DefCfaOffset(16),
            Op.AdvanceLoc2(0x1234), Op.DefCfaOffset(24),
            Op.AdvanceLoc4(0x12345), Op.DefCfaOffset(32)));
        using PlacedEhFrame frame = builder.Place();
        const ulong second = 200, third = second + 0x1234, fourth = third + 0x12345;
        AssertRows(frame,
            (0, OnRsp(8)), (second - 1, OnRsp(8)),
            (second, OnRsp(16)), (third - 1, OnRsp(16)),
            (third, OnRsp(24)), (fourth - 1, OnRsp(24)),
            (fourth, OnRsp(32)), (0x1FFFF, OnRsp(32)));
    }

    [Fact]
    public void CodeAlignmentFactorScalesAdvances()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial, codeAlignment: 4);
        builder.Fde(cie, 0, 0x40, Op.Concat(
            Op.AdvanceLoc(1), Op.DefCfaOffset(16),      // at 4
            Op.AdvanceLoc1(2), Op.DefCfaOffset(24),     // at 12
            Op.AdvanceLoc2(1), Op.DefCfaOffset(32),     // at 16
            Op.AdvanceLoc4(1), Op.DefCfaOffset(40)));   // at 20
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame,
            (3, OnRsp(8)), (4, OnRsp(16)), (11, OnRsp(16)), (12, OnRsp(24)),
            (15, OnRsp(24)), (16, OnRsp(32)), (19, OnRsp(32)), (20, OnRsp(40)));
    }

    [Fact]
    public void VersionThreeCieWithUlebReturnColumn()
    {
        var builder = new EhFrameBuilder();
        // Version 3 encodes the return address column as a ULEB; here 16 in two bytes (0x90 0x00), which
        // a parser that takes version 1's single byte would misread.
        int cie = builder.Cie(Op.Concat(Op.DefCfa(Rsp, 8), Op.Offset(16, 2)), version: 3, dataAlignment: -4, returnColumnBytes: new byte[] { 0x90, 0x00 });
        builder.Fde(cie, 0, 0x10, Op.Concat(Op.AdvanceLoc(1), Op.DefCfaOffset(16), Op.Offset(Rbp, 4)));
        using PlacedEhFrame frame = builder.Place();
        // Offsets are factored by -4 here.
        AssertRows(frame, (0, OnRsp(8)), (1, OnRsp(16, rbp: -16)), (0xF, OnRsp(16, rbp: -16)));
    }

    [Fact]
    public void NestedRememberStateFourDeep()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x10, Op.Concat(
            Op.DefCfaOffset(16), Op.RememberState,
            Op.AdvanceLoc(1), Op.DefCfaOffset(24), Op.Offset(Rbp, 3), Op.RememberState,
            Op.AdvanceLoc(1), Op.DefCfaOffset(32), Op.RememberState,
            Op.AdvanceLoc(1), Op.DefCfaOffset(40), Op.Restore(Rbp), Op.RememberState,
            Op.AdvanceLoc(1), Op.DefCfaOffset(48),
            Op.AdvanceLoc(1), Op.RestoreState,
            Op.AdvanceLoc(1), Op.RestoreState,
            Op.AdvanceLoc(1), Op.RestoreState,
            Op.AdvanceLoc(1), Op.RestoreState));
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame,
            (0, OnRsp(16)), (1, OnRsp(24, rbp: -24)), (2, OnRsp(32, rbp: -24)), (3, OnRsp(40)), (4, OnRsp(48)),
            (5, OnRsp(40)), (6, OnRsp(32, rbp: -24)), (7, OnRsp(24, rbp: -24)), (8, OnRsp(16)), (0xF, OnRsp(16)));
    }

    [Theory]
    [InlineData("zPLR", new byte[] { 0x9B, 0x11, 0x22, 0x33, 0x44, 0x1B, 0x1B }, 4)] // personality: indirect pcrel sdata4
    [InlineData("zPLR", new byte[] { 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x1B, 0x1B }, 4)]  // personality: absolute 8 bytes
    [InlineData("zLR", new byte[] { 0x1B, 0x1B }, 4)]
    [InlineData("zRS", new byte[] { 0x1B }, 0)]                                           // signal frame: no data
    public void AugmentationsBeforeTheFdeEncodingAreSkipped(string augmentation, byte[] data, int lsdaSize)
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial, augmentation, data, fdeEncoding: EhFrameBuilder.PcRel | EhFrameBuilder.Sdata4);
        byte[] lsda = new byte[lsdaSize];
        lsda.AsSpan().Fill(0x80); // would read as an endless ULEB if mistaken for instructions
        builder.Fde(cie, 0x40, 0x10, Op.Concat(Op.DefCfaOffset(32), Op.AdvanceLoc(2), Op.DefCfaOffset(16)), lsda);
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame, (0x40, OnRsp(32)), (0x42, OnRsp(16)), (0x4F, OnRsp(16)));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0x50)));
    }

    [Theory]
    [InlineData(EhFrameBuilder.PcRel | EhFrameBuilder.Sdata4)]
    [InlineData(EhFrameBuilder.PcRel | EhFrameBuilder.Sdata2)]
    [InlineData(EhFrameBuilder.PcRel | EhFrameBuilder.Sdata8)]
    [InlineData(EhFrameBuilder.PcRel | EhFrameBuilder.Udata4)]
    public void PcRelativeEncodings(byte encoding)
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial, fdeEncoding: encoding);
        builder.Fde(cie, 0x300, 0x20, Op.Concat(Op.AdvanceLoc(4), Op.DefCfaOffset(16)));
        builder.Fde(cie, 0x320, 0x20, Op.Concat(Op.DefCfaOffset(64)));
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame, (0x300, OnRsp(8)), (0x304, OnRsp(16)), (0x31F, OnRsp(16)), (0x320, OnRsp(64)), (0x33F, OnRsp(64)));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0x2FF)));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0x340)));
    }

    [Theory]
    [InlineData("", EhFrameBuilder.AbsPtr, 0x7FFF_1234_5000UL)]   // no augmentation: absolute pointers
    [InlineData("zR", EhFrameBuilder.AbsPtr, 0xFFFF_8000_0010_0000UL)]
    [InlineData("zR", EhFrameBuilder.Udata8, 0xFFFF_8000_0010_0000UL)]
    [InlineData("zR", EhFrameBuilder.Udata4, 0x8020_0000UL)]
    [InlineData("zR", EhFrameBuilder.Sdata4, 0x0020_0000UL)]
    [InlineData("zR", EhFrameBuilder.Udata2, 0xF000UL)]
    public void AbsoluteEncodings(string augmentation, byte encoding, ulong pc)
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial, augmentation, fdeEncoding: encoding);
        builder.Fde(cie, pc, 0x10, Op.Concat(Op.AdvanceLoc(2), Op.DefCfaOffset(24)));
        using PlacedEhFrame frame = builder.Place();
        using var stack = new StackImage();
        UnwindAssert.StepFollows(frame.Unwinder, stack, pc, 0, OnRsp(8), "first");
        UnwindAssert.StepFollows(frame.Unwinder, stack, pc + 2, 0, OnRsp(24), "second");
        UnwindAssert.StepFollows(frame.Unwinder, stack, pc + 0xF, 0, OnRsp(24), "last");
        Assert.False(frame.Unwinder.Covers(pc - 1));
        Assert.False(frame.Unwinder.Covers(pc + 0x10));
    }

    [Fact]
    public void EachFdeUsesItsOwnCie()
    {
        var builder = new EhFrameBuilder();
        int eight = builder.Cie(Op.X64Initial, dataAlignment: -8);
        int four = builder.Cie(Op.Concat(Op.DefCfa(Rsp, 8), Op.Offset(16, 2)), dataAlignment: -4, codeAlignment: 2);
        builder.Fde(eight, 0x00, 0x10, Op.Concat(Op.AdvanceLoc(1), Op.DefCfaOffsetSf(-2), Op.Offset(Rbp, 2)));
        builder.Fde(four, 0x10, 0x10, Op.Concat(Op.AdvanceLoc(1), Op.DefCfaOffsetSf(-4), Op.Offset(Rbp, 4)));
        builder.Fde(eight, 0x20, 0x10, Op.Concat(Op.AdvanceLoc(1), Op.DefCfaOffsetSf(-3)));
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame,
            (0x00, OnRsp(8)), (0x01, OnRsp(16, rbp: -16)),
            (0x11, OnRsp(8)), (0x12, OnRsp(16, rbp: -16)),
            (0x20, OnRsp(8)), (0x21, OnRsp(24)));
    }

    [Fact]
    public void ReturnAddressAtTheStartOfTheNextFunctionBelongsToTheCaller()
    {
        // A call as the last instruction of a function (a noreturn callee) returns to the next function's first byte.
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0x00, 0x10, Op.DefCfaOffset(16));
        builder.Fde(cie, 0x10, 0x10, Op.DefCfaOffset(32));
        using PlacedEhFrame frame = builder.Place();
        using var stack = new StackImage();
        UnwindAssert.StepFollows(frame.Unwinder, stack, frame.Pc(0x10), isCallSite: true, OnRsp(16), "return address");
        UnwindAssert.StepFollows(frame.Unwinder, stack, frame.Pc(0x10), isCallSite: false, OnRsp(32), "faulting instruction");
    }

    [Fact]
    public void CfaInAnotherRegisterCannotBeStepped()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x10, Op.Concat(Op.AdvanceLoc(4), Op.DefCfa(3, 16))); // CFA = rbx + 16
        using PlacedEhFrame frame = builder.Place();
        using var stack = new StackImage();
        Assert.True(frame.Unwinder.Covers(frame.Pc(4)));
        var registers = new UnwindRegisters { Rip = frame.Pc(4), Rsp = stack.Base + 0x100, Rbp = stack.Base + 0x200 };
        Assert.False(frame.Unwinder.TryStep(ref registers, isCallSite: false));
        UnwindAssert.StepFollows(frame.Unwinder, stack, frame.Pc(3), isCallSite: false, OnRsp(8), "before the change");
    }

    [Fact]
    public void ExpressionCfaIsNeverGuessed()
    {
        // CFA = *(rsp + 8) (DW_OP_breg7 8; DW_OP_deref): whether or not the unwinder evaluates expressions,
        // it cannot step here (the loaded value is no address in the readable stack), and the rows
        // before the expression must be unaffected.
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x10, Op.Concat(Op.DefCfaOffset(16), Op.AdvanceLoc(8), Op.DefCfaExpression(0x77, 0x08, 0x06)));
        using PlacedEhFrame frame = builder.Place();
        using var stack = new StackImage();
        UnwindAssert.StepFollows(frame.Unwinder, stack, frame.Pc(7), isCallSite: false, OnRsp(16), "before the expression");
        var registers = new UnwindRegisters { Rip = frame.Pc(8), Rsp = stack.Base + 0x100, Rbp = stack.Base + 0x200 };
        Assert.False(frame.Unwinder.TryStep(ref registers, isCallSite: false));
    }

    [Fact]
    public void ZeroReturnAddressEndsTheWalk()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x10, Array.Empty<byte>());
        using PlacedEhFrame frame = builder.Place();
        using var stack = new StackImage();
        ulong rsp = stack.Base + 0x100;
        stack.Write(rsp, 0);
        var registers = new UnwindRegisters { Rip = frame.Pc(0), Rsp = rsp, Rbp = 5 };
        Assert.False(frame.Unwinder.TryStep(ref registers, isCallSite: false));
    }

    [Fact]
    public void TrailingZeroTerminatorIsFine()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x10, Op.DefCfaOffset(16));
        builder.Raw(0, 0, 0, 0); // what crtend.o puts at the end of .eh_frame
        using PlacedEhFrame frame = builder.Place();
        AssertRows(frame, (0, OnRsp(16)));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0x10)));
    }

    [Fact]
    public void RestoreStateWithoutRememberIsCorrupt()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x10, Op.Concat(Op.DefCfaOffset(16), Op.RestoreState));
        using PlacedEhFrame frame = builder.Place();
        using var stack = new StackImage();
        var registers = new UnwindRegisters { Rip = frame.Pc(0), Rsp = stack.Base + 0x100, Rbp = 5 };
        Assert.False(frame.Unwinder.TryStep(ref registers, isCallSite: false));
    }

    private static PlacedEhFrame WithCorruptFirstFde(Action<EhFrameBuilder, int> corrupt)
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        int fde = builder.Fde(cie, 0, 0x10, Op.DefCfaOffset(16));
        corrupt(builder, fde);
        builder.Fde(cie, 0x10, 0x10, Op.DefCfaOffset(16));
        return builder.Place();
    }

    [Fact]
    public void SixtyFourBitLengthIsNotFollowed()
    {
        using PlacedEhFrame frame = WithCorruptFirstFde((b, fde) => b.Patch(fde, 0xFF, 0xFF, 0xFF, 0xFF));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0)));
    }

    [Fact]
    public void LengthPastTheSectionIsRejected()
    {
        using PlacedEhFrame frame = WithCorruptFirstFde((b, fde) => b.Patch(fde, 0x00, 0x10, 0x00, 0x00));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0)));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0x10)));
    }

    [Fact]
    public void CiePointerBeforeTheSectionIsRejected()
    {
        using PlacedEhFrame frame = WithCorruptFirstFde((b, fde) => b.Patch(fde + 4, 0x00, 0x01, 0x00, 0x00));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0)));
    }

    [Fact]
    public void CiePointerToAnFdeIsRejected()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        int first = builder.Fde(cie, 0, 0x10, Op.DefCfaOffset(16));
        int second = builder.Fde(cie, 0x10, 0x10, Op.DefCfaOffset(16));
        builder.Patch(second + 4, BitConverter.GetBytes((uint)(second + 4 - first)));
        using PlacedEhFrame frame = builder.Place();
        Assert.True(frame.Unwinder.Covers(frame.Pc(0)));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0x10)));
    }

    [Fact]
    public void EmptyPcRangeCoversNothing()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0x10, 0, Op.DefCfaOffset(16));
        using PlacedEhFrame frame = builder.Place();
        Assert.False(frame.Unwinder.Covers(frame.Pc(0x10)));
    }

    [Fact]
    public void CieAugmentationRunningPastTheCieIsRejected()
    {
        var builder = new EhFrameBuilder();
        // 'z' data length 0x40 with a 1-byte body: the FDE encoding lies inside the data, the instructions past the CIE.
        int cie = builder.Cie(Op.X64Initial, "zR", new byte[] { 0x1B });
        builder.Patch(cie + 8 + 1 + 3 + 1 + 1 + 1, 0x40);
        builder.Fde(cie, 0, 0x10, Op.DefCfaOffset(16));
        using PlacedEhFrame frame = builder.Place();
        Assert.False(frame.Unwinder.Covers(frame.Pc(0)));
    }

    [Fact]
    public void FdeTooShortForItsAddressesDoesNotReadPastTheSection()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        builder.Fde(cie, 0, 0x10, Op.DefCfaOffset(16));
        int position = builder.Length;
        builder.Raw(4, 0, 0, 0);
        builder.Raw(BitConverter.GetBytes((uint)(position + 4 - cie)));
        using PlacedEhFrame frame = builder.Place(); // the section ends right after the CIE pointer
        Assert.True(frame.Unwinder.Covers(frame.Pc(0)));
        Assert.False(frame.Unwinder.Covers(frame.Pc(0x20)));
    }

    [Fact]
    public void TruncatedAdvanceDoesNotReadPastTheSection()
    {
        var builder = new EhFrameBuilder();
        int cie = builder.Cie(Op.X64Initial);
        // The last instruction is an advance_loc4 opcode whose 4-byte operand would lie past the section.
        builder.Fde(cie, 0, 0x10, Op.Concat(Op.DefCfaOffset(16), new byte[] { 0x04 }), pad: false);
        using PlacedEhFrame frame = builder.Place();
        using var stack = new StackImage();
        UnwindAssert.StepFollows(frame.Unwinder, stack, frame.Pc(8), isCallSite: false, CfaRule.OnRsp(16), "after the cut advance");
    }
}
