namespace Osv.Core.Diagnostics
{
    /// <summary>The registers an unwind step needs on x86-64.</summary>
    public struct UnwindRegisters
    {
        public ulong Rip;
        public ulong Rsp;
        public ulong Rbp;
    }

    /// <summary>
    /// Unwinds one frame with the DWARF call-frame information (.eh_frame) ILC emits for every method.
    /// RyuJIT often omits frame pointers, so a frame-pointer walk would skip frames; the CFI is exact.
    /// Every stack read goes through <c>isReadable</c>, and every table read stays inside the section,
    /// so corrupt input ends the walk instead of faulting.
    /// </summary>
    public readonly unsafe struct CallFrameUnwinder
    {
        private const int RegisterRbp = 6;
        private const int RegisterRsp = 7;
        private const int ReturnAddressColumn = 16;
        private const int MaxRememberedStates = 4;

        private readonly byte* _start;
        private readonly byte* _end;
        private readonly delegate*<ulong, ulong, bool> _isReadable;

        public CallFrameUnwinder(byte* ehFrame, nuint length, delegate*<ulong, ulong, bool> isReadable)
        {
            _start = ehFrame;
            _end = ehFrame + length;
            _isReadable = isReadable;
        }

        private struct Rules
        {
            public int CfaRegister;
            public long CfaOffset;
            public bool RbpSaved;
            public long RbpOffset;
            public long ReturnAddressOffset;
            public bool ReturnAddressUndefined;
        }

        private struct Cie
        {
            public byte* Instructions;
            public byte* End;
            public ulong CodeAlignment;
            public long DataAlignment;
            public byte FdeEncoding;
            public bool HasAugmentationData;
        }

        /// <summary>
        /// Replaces <paramref name="registers"/> with the caller's. <paramref name="isCallSite"/>: Rip is a return
        /// address (look up Rip - 1, the call instruction), not the faulting instruction itself.
        /// </summary>
        public bool TryStep(ref UnwindRegisters registers, bool isCallSite)
        {
            ulong pc = isCallSite ? registers.Rip - 1 : registers.Rip;
            if (!TryFindRules(pc, out Rules rules) || rules.ReturnAddressUndefined)
                return false;
            ulong cfaBase = rules.CfaRegister == RegisterRsp ? registers.Rsp
                : rules.CfaRegister == RegisterRbp ? registers.Rbp
                : 0;
            if (cfaBase == 0)
                return false;
            ulong cfa = (ulong)((long)cfaBase + rules.CfaOffset);
            ulong returnAddressSlot = (ulong)((long)cfa + rules.ReturnAddressOffset);
            if (!_isReadable(returnAddressSlot, 8))
                return false;
            ulong rbp = registers.Rbp;
            if (rules.RbpSaved)
            {
                ulong rbpSlot = (ulong)((long)cfa + rules.RbpOffset);
                if (!_isReadable(rbpSlot, 8))
                    return false;
                rbp = *(ulong*)rbpSlot;
            }
            registers.Rip = *(ulong*)returnAddressSlot;
            registers.Rsp = cfa;
            registers.Rbp = rbp;
            return registers.Rip != 0;
        }

        /// <summary>Whether some FDE covers <paramref name="pc"/>.</summary>
        public bool Covers(ulong pc) => TryFindRules(pc, out _);

        private bool TryFindRules(ulong pc, out Rules rules)
        {
            rules = default;
            byte* record = _start;
            while (record + 8 <= _end)
            {
                uint length = *(uint*)record;
                if (length == 0 || length == 0xFFFFFFFF)
                    return false;
                byte* body = record + 4;
                byte* next = body + length;
                if (next > _end)
                    return false;
                uint ciePointer = *(uint*)body;
                if (ciePointer != 0)
                {
                    byte* cieRecord = body - ciePointer;
                    if (cieRecord < _start || !TryParseCie(cieRecord, out Cie cie))
                        return false;
                    byte* cursor = body + 4;
                    if (!TryReadEncoded(ref cursor, next, cie.FdeEncoding, true, out ulong pcBegin)
                        || !TryReadEncoded(ref cursor, next, (byte)(cie.FdeEncoding & 0x0F), false, out ulong pcRange))
                        return false;
                    if (pc >= pcBegin && pc < pcBegin + pcRange)
                    {
                        if (cie.HasAugmentationData)
                        {
                            ulong augmentationLength = ReadUleb(ref cursor, next);
                            cursor += augmentationLength;
                        }
                        if (cursor > next)
                            return false;
                        rules.CfaRegister = RegisterRsp;
                        rules.CfaOffset = 8;
                        rules.ReturnAddressOffset = -8;
                        Rules initial = rules;
                        if (!Execute(cie.Instructions, cie.End, cie, ulong.MaxValue, pcBegin, ref rules, initial))
                            return false;
                        initial = rules;
                        return Execute(cursor, next, cie, pc, pcBegin, ref rules, initial);
                    }
                }
                record = next;
            }
            return false;
        }

        private bool TryParseCie(byte* record, out Cie cie)
        {
            cie = default;
            if (record + 8 > _end)
                return false;
            uint length = *(uint*)record;
            byte* end = record + 4 + length;
            if (end > _end || *(uint*)(record + 4) != 0)
                return false;
            byte* cursor = record + 8;
            if (cursor >= end)
                return false;
            byte version = *cursor++;
            byte* augmentation = cursor;
            while (cursor < end && *cursor != 0)
                cursor++;
            if (cursor >= end)
                return false;
            byte* augmentationEnd = cursor;
            cursor++;
            cie.CodeAlignment = ReadUleb(ref cursor, end);
            cie.DataAlignment = ReadSleb(ref cursor, end);
            if (version == 1)
                cursor++;
            else
                ReadUleb(ref cursor, end);
            if (cursor > end)
                return false;
            cie.FdeEncoding = 0; // absolute, pointer-sized
            if (*augmentation == (byte)'z')
            {
                cie.HasAugmentationData = true;
                ulong augmentationLength = ReadUleb(ref cursor, end);
                if (augmentationLength > (ulong)(end - cursor))
                    return false;
                byte* dataEnd = cursor + augmentationLength;
                for (byte* letter = augmentation + 1; letter < augmentationEnd && cursor < dataEnd; letter++)
                {
                    if (*letter == (byte)'R')
                        cie.FdeEncoding = *cursor++;
                    else if (*letter == (byte)'L')
                        cursor++;
                    else if (*letter == (byte)'P')
                    {
                        byte encoding = *cursor++;
                        if (!TryReadEncoded(ref cursor, dataEnd, encoding, true, out _))
                            return false;
                    }
                }
                cursor = dataEnd;
            }
            cie.Instructions = cursor;
            cie.End = end;
            return cursor <= end;
        }

        private static bool Execute(byte* cursor, byte* end, Cie cie, ulong targetPc, ulong location, ref Rules rules, Rules initial)
        {
            Rules* remembered = stackalloc Rules[MaxRememberedStates];
            int rememberedCount = 0;
            while (cursor < end)
            {
                byte opcode = *cursor++;
                int high = opcode >> 6;
                int low = opcode & 0x3F;
                if (high == 1)
                {
                    location += (ulong)low * cie.CodeAlignment;
                    if (location > targetPc)
                        return true;
                    continue;
                }
                if (high == 2)
                {
                    SetOffset(ref rules, low, (long)ReadUleb(ref cursor, end) * cie.DataAlignment);
                    continue;
                }
                if (high == 3)
                {
                    Restore(ref rules, initial, low);
                    continue;
                }
                ulong delta;
                switch (opcode)
                {
                    case 0x00: // nop
                        break;
                    case 0x02: // advance_loc1
                    case 0x03: // advance_loc2
                    case 0x04: // advance_loc4
                    {
                        int width = opcode == 0x02 ? 1 : opcode == 0x03 ? 2 : 4;
                        if (end - cursor < width)
                            return true; // a truncated operand ends the program: the rows so far stand
                        delta = opcode == 0x02 ? *cursor : opcode == 0x03 ? *(ushort*)cursor : *(uint*)cursor;
                        cursor += width;
                        location += delta * cie.CodeAlignment;
                        if (location > targetPc)
                            return true;
                        break;
                    }
                    case 0x05: // offset_extended
                    {
                        int register = (int)ReadUleb(ref cursor, end);
                        SetOffset(ref rules, register, (long)ReadUleb(ref cursor, end) * cie.DataAlignment);
                        break;
                    }
                    case 0x06: // restore_extended
                        Restore(ref rules, initial, (int)ReadUleb(ref cursor, end));
                        break;
                    case 0x07: // undefined: on the return-address column, the outermost frame
                    case 0x08: // same_value
                    {
                        int register = (int)ReadUleb(ref cursor, end);
                        if (register == RegisterRbp)
                            rules.RbpSaved = false;
                        else if (register == ReturnAddressColumn && opcode == 0x07)
                            rules.ReturnAddressUndefined = true;
                        break;
                    }
                    case 0x09: // register
                        ReadUleb(ref cursor, end);
                        ReadUleb(ref cursor, end);
                        break;
                    case 0x0A: // remember_state
                        if (rememberedCount == MaxRememberedStates)
                            return false;
                        remembered[rememberedCount++] = rules;
                        break;
                    case 0x0B: // restore_state
                        if (rememberedCount == 0)
                            return false;
                        rules = remembered[--rememberedCount];
                        break;
                    case 0x0C: // def_cfa
                        rules.CfaRegister = (int)ReadUleb(ref cursor, end);
                        rules.CfaOffset = (long)ReadUleb(ref cursor, end);
                        break;
                    case 0x0D: // def_cfa_register
                        rules.CfaRegister = (int)ReadUleb(ref cursor, end);
                        break;
                    case 0x0E: // def_cfa_offset
                        rules.CfaOffset = (long)ReadUleb(ref cursor, end);
                        break;
                    case 0x11: // offset_extended_sf
                    {
                        int register = (int)ReadUleb(ref cursor, end);
                        SetOffset(ref rules, register, ReadSleb(ref cursor, end) * cie.DataAlignment);
                        break;
                    }
                    case 0x12: // def_cfa_sf
                        rules.CfaRegister = (int)ReadUleb(ref cursor, end);
                        rules.CfaOffset = ReadSleb(ref cursor, end) * cie.DataAlignment;
                        break;
                    case 0x13: // def_cfa_offset_sf
                        rules.CfaOffset = ReadSleb(ref cursor, end) * cie.DataAlignment;
                        break;
                    case 0x10: // expression: skip the block; the register is not one we track
                    {
                        ReadUleb(ref cursor, end);
                        ulong blockLength = ReadUleb(ref cursor, end);
                        cursor += blockLength;
                        break;
                    }
                    case 0x2E: // GNU_args_size
                        ReadUleb(ref cursor, end);
                        break;
                    default:
                        return false; // def_cfa_expression and others: not produced by RyuJIT
                }
            }
            return true;
        }

        private static void SetOffset(ref Rules rules, int register, long offset)
        {
            if (register == RegisterRbp)
            {
                rules.RbpSaved = true;
                rules.RbpOffset = offset;
            }
            else if (register == ReturnAddressColumn)
            {
                rules.ReturnAddressOffset = offset;
            }
        }

        private static void Restore(ref Rules rules, Rules initial, int register)
        {
            if (register == RegisterRbp)
            {
                rules.RbpSaved = initial.RbpSaved;
                rules.RbpOffset = initial.RbpOffset;
            }
            else if (register == ReturnAddressColumn)
            {
                rules.ReturnAddressOffset = initial.ReturnAddressOffset;
            }
        }

        private static ulong ReadUleb(ref byte* cursor, byte* end)
        {
            ulong result = 0;
            int shift = 0;
            while (cursor < end)
            {
                byte value = *cursor++;
                if (shift < 64)
                    result |= (ulong)(value & 0x7F) << shift;
                shift += 7;
                if ((value & 0x80) == 0)
                    break;
            }
            return result;
        }

        private static long ReadSleb(ref byte* cursor, byte* end)
        {
            long result = 0;
            int shift = 0;
            byte value = 0;
            while (cursor < end)
            {
                value = *cursor++;
                if (shift < 64)
                    result |= (long)(value & 0x7F) << shift;
                shift += 7;
                if ((value & 0x80) == 0)
                    break;
            }
            if (shift < 64 && (value & 0x40) != 0)
                result |= -1L << shift;
            return result;
        }

        /// <summary>
        /// Reads a DW_EH_PE-encoded pointer (absolute or pc-relative, as toolchains emit), never past
        /// <paramref name="end"/>.
        /// </summary>
        private static bool TryReadEncoded(ref byte* cursor, byte* end, byte encoding, bool applyRelative, out ulong value)
        {
            byte* field = cursor;
            value = 0;
            int width;
            switch (encoding & 0x0F)
            {
                case 0x01: value = ReadUleb(ref cursor, end); width = 0; break;
                case 0x09: value = (ulong)ReadSleb(ref cursor, end); width = 0; break;
                case 0x02:
                case 0x0A: width = 2; break;
                case 0x03:
                case 0x0B: width = 4; break;
                case 0x00:
                case 0x04:
                case 0x0C: width = 8; break;
                default: return false;
            }
            if (width != 0)
            {
                if (end - cursor < width)
                    return false;
                switch (encoding & 0x0F)
                {
                    case 0x02: value = *(ushort*)cursor; break;
                    case 0x0A: value = (ulong)(long)*(short*)cursor; break;
                    case 0x03: value = *(uint*)cursor; break;
                    case 0x0B: value = (ulong)(long)*(int*)cursor; break;
                    default: value = *(ulong*)cursor; break;
                }
                cursor += width;
            }
            if (applyRelative && (encoding & 0x70) == 0x10)
                value += (ulong)field;
            return cursor <= end;
        }
    }
}
