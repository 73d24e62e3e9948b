using System;
using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Stdio;

namespace Osv.Kernel.Libc.Getopt
{
    /// <summary>
    /// getopt, getopt_long and getopt_long_only as glibc behaves: arguments are permuted so options may
    /// follow operands (unless the option string starts with '+' or POSIXLY_CORRECT is set; '-' returns
    /// operands as option 1), "--" ends the options, a leading ':' turns off messages and reports a
    /// missing argument as ':', long options match by unique prefix, optind = 0 restarts. Messages use
    /// glibc's words on stderr. The state between calls is one set per program (glibc's is too).
    /// </summary>
    internal static unsafe class Getopt
    {
        [DllImport("*"), SuppressGCTransition] private static extern byte* getenv(byte* name);

        private const int NoArgument = 0, RequiredArgument = 1, OptionalArgument = 2;
        private const int Finished = -1, NotALongOption = -2;
        private enum Ordering { Permute, RequireOrder, ReturnInOrder }

        [StructLayout(LayoutKind.Sequential)]
        private struct LongOption
        {
            public byte* Name;
            public int HasArgument;
            public int* Flag;
            public int Value;
        }

        private static byte* s_nextCharacter;
        private static int s_firstOperand, s_lastOperand;
        private static bool s_started;

        /// <summary>Forgets the scan (a new program, or optind = 0).</summary>
        public static void Restart()
        {
            s_nextCharacter = null;
            s_started = false;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getopt")]
        public static int Short(int count, byte** arguments, byte* options) => Next(count, arguments, options, null, null, longOnly: false);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getopt_long")]
        public static int Long(int count, byte** arguments, byte* options, void* longOptions, int* longIndex) =>
            Next(count, arguments, options, (LongOption*)longOptions, longIndex, longOnly: false);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getopt_long_only")]
        public static int LongOnly(int count, byte** arguments, byte* options, void* longOptions, int* longIndex) =>
            Next(count, arguments, options, (LongOption*)longOptions, longIndex, longOnly: true);

        private static bool IsOperand(byte* argument) => argument[0] != (byte)'-' || argument[1] == 0;

        private static int Next(int count, byte** arguments, byte* options, LongOption* longOptions, int* longIndex, bool longOnly)
        {
            int* index = GetoptVariables.Index;
            *GetoptVariables.Argument = null;
            if (count < 1 || options == null)
                return Finished;
            if (*index == 0 || !s_started)
            {
                if (*index == 0)
                    *index = 1;
                s_firstOperand = s_lastOperand = *index;
                s_nextCharacter = null;
                s_started = true;
            }
            Ordering ordering = Ordering.Permute;
            if (*options == (byte)'-')
            {
                ordering = Ordering.ReturnInOrder;
                options++;
            }
            else if (*options == (byte)'+')
            {
                ordering = Ordering.RequireOrder;
                options++;
            }
            else if (PosixlyCorrect())
                ordering = Ordering.RequireOrder;
            bool quiet = *options == (byte)':';
            bool messages = !quiet && *GetoptVariables.PrintErrors != 0;

            if (s_nextCharacter == null || *s_nextCharacter == 0)
            {
                if (s_lastOperand > *index)
                    s_lastOperand = *index;
                if (s_firstOperand > *index)
                    s_firstOperand = *index;
                if (ordering == Ordering.Permute)
                {
                    if (s_firstOperand != s_lastOperand && s_lastOperand != *index)
                        MoveOperandsAfterOptions(arguments, *index);
                    else if (s_lastOperand != *index)
                        s_firstOperand = *index;
                    while (*index < count && IsOperand(arguments[*index]))
                        (*index)++;
                    s_lastOperand = *index;
                }
                if (*index != count && IsDoubleDash(arguments[*index]))
                {
                    (*index)++;
                    if (s_firstOperand != s_lastOperand && s_lastOperand != *index)
                        MoveOperandsAfterOptions(arguments, *index);
                    else if (s_firstOperand == s_lastOperand)
                        s_firstOperand = *index;
                    s_lastOperand = count;
                    *index = count;
                }
                if (*index == count)
                {
                    if (s_firstOperand != s_lastOperand)
                        *index = s_firstOperand; // point at the operands, now at the end
                    return Finished;
                }
                if (IsOperand(arguments[*index]))
                {
                    if (ordering == Ordering.RequireOrder)
                        return Finished;
                    *GetoptVariables.Argument = arguments[(*index)++];
                    return 1;
                }
                byte* argument = arguments[*index];
                if (longOptions != null && (argument[1] == (byte)'-' || (longOnly && (argument[2] != 0 || Find(options, argument[1]) == null))))
                {
                    bool doubleDash = argument[1] == (byte)'-';
                    s_nextCharacter = argument + (doubleDash ? 2 : 1);
                    int result = ParseLong(count, arguments, longOptions, longIndex, options, doubleDash, quiet, messages);
                    if (result != NotALongOption)
                        return result;
                }
                s_nextCharacter = argument + 1;
            }
            return ParseShort(count, arguments, options, quiet, messages);
        }

        private static int ParseShort(int count, byte** arguments, byte* options, bool quiet, bool messages)
        {
            int* index = GetoptVariables.Index;
            byte c = *s_nextCharacter++;
            byte* spec = Find(options, c);
            if (*s_nextCharacter == 0)
                (*index)++;
            if (spec == null || c == (byte)':' || c == (byte)';')
            {
                if (messages)
                    Complain(arguments[0], "invalid option -- '"u8, &c, 1, "'"u8);
                *GetoptVariables.Option = c;
                return '?';
            }
            if (spec[1] != (byte)':')
                return c;
            if (spec[2] == (byte)':')
            {
                if (*s_nextCharacter != 0)
                {
                    *GetoptVariables.Argument = s_nextCharacter;
                    (*index)++;
                }
            }
            else if (*s_nextCharacter != 0)
            {
                *GetoptVariables.Argument = s_nextCharacter;
                (*index)++;
            }
            else if (*index == count)
            {
                if (messages)
                    Complain(arguments[0], "option requires an argument -- '"u8, &c, 1, "'"u8);
                *GetoptVariables.Option = c;
                s_nextCharacter = null;
                return quiet ? ':' : '?';
            }
            else
                *GetoptVariables.Argument = arguments[(*index)++];
            s_nextCharacter = null;
            return c;
        }

        private static int ParseLong(int count, byte** arguments, LongOption* longOptions, int* longIndex, byte* options, bool doubleDash, bool quiet, bool messages)
        {
            int* index = GetoptVariables.Index;
            byte* name = s_nextCharacter;
            int nameLength = 0;
            while (name[nameLength] != 0 && name[nameLength] != (byte)'=')
                nameLength++;
            int found = -1;
            bool ambiguous = false;
            for (int i = 0; longOptions[i].Name != null; i++)
            {
                byte* candidate = longOptions[i].Name;
                if (!StartsWith(candidate, name, nameLength))
                    continue;
                if (candidate[nameLength] == 0)
                {
                    found = i; // exact
                    ambiguous = false;
                    break;
                }
                if (found < 0)
                    found = i;
                else if (!SameMeaning(&longOptions[found], &longOptions[i]))
                    ambiguous = true;
            }
            byte* shown = arguments[*index];
            if (ambiguous)
            {
                if (messages)
                    Complain(arguments[0], "option '"u8, shown, Strings.CStrings.Length(shown), "' is ambiguous"u8);
                s_nextCharacter = null;
                (*index)++;
                *GetoptVariables.Option = 0;
                return '?';
            }
            if (found < 0)
            {
                if (!doubleDash && Find(options, *name) != null)
                    return NotALongOption; // getopt_long_only: "-x" that is a short option
                if (messages)
                    Complain(arguments[0], "unrecognized option '"u8, shown, Strings.CStrings.Length(shown), "'"u8);
                s_nextCharacter = null;
                (*index)++;
                *GetoptVariables.Option = 0;
                return '?';
            }
            LongOption* option = &longOptions[found];
            (*index)++;
            s_nextCharacter = null;
            if (name[nameLength] == (byte)'=')
            {
                if (option->HasArgument == NoArgument)
                {
                    if (messages)
                        Complain(arguments[0], "option '"u8, shown, doubleDash ? 2 : 1, option->Name, "' doesn't allow an argument"u8);
                    *GetoptVariables.Option = option->Value;
                    return '?';
                }
                *GetoptVariables.Argument = name + nameLength + 1;
            }
            else if (option->HasArgument == RequiredArgument)
            {
                if (*index >= count)
                {
                    if (messages)
                        Complain(arguments[0], "option '"u8, shown, doubleDash ? 2 : 1, option->Name, "' requires an argument"u8);
                    *GetoptVariables.Option = option->Value;
                    return quiet ? ':' : '?';
                }
                *GetoptVariables.Argument = arguments[(*index)++];
            }
            if (longIndex != null)
                *longIndex = found;
            if (option->Flag != null)
            {
                *option->Flag = option->Value;
                return 0;
            }
            return option->Value;
        }

        private static bool SameMeaning(LongOption* a, LongOption* b) => a->HasArgument == b->HasArgument && a->Flag == b->Flag && a->Value == b->Value;

        /// <summary>Moves the operands skipped so far, [first operand, last operand), after the options seen since, [last operand, optind), keeping both orders.</summary>
        private static void MoveOperandsAfterOptions(byte** arguments, int index)
        {
            Reverse(arguments, s_firstOperand, s_lastOperand);
            Reverse(arguments, s_lastOperand, index);
            Reverse(arguments, s_firstOperand, index);
            s_firstOperand += index - s_lastOperand;
            s_lastOperand = index;
        }

        private static void Reverse(byte** arguments, int start, int end)
        {
            for (int i = start, j = end - 1; i < j; i++, j--)
            {
                byte* swap = arguments[i];
                arguments[i] = arguments[j];
                arguments[j] = swap;
            }
        }

        private static bool IsDoubleDash(byte* argument) => argument[0] == (byte)'-' && argument[1] == (byte)'-' && argument[2] == 0;

        private static byte* Find(byte* options, byte c)
        {
            if (c == 0)
                return null;
            for (byte* p = options; *p != 0; p++)
            {
                if (*p == c)
                    return p;
            }
            return null;
        }

        private static bool StartsWith(byte* text, byte* prefix, int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (text[i] != prefix[i])
                    return false;
            }
            return true;
        }

        private static bool PosixlyCorrect()
        {
            byte* name = stackalloc byte[] { (byte)'P', (byte)'O', (byte)'S', (byte)'I', (byte)'X', (byte)'L', (byte)'Y', (byte)'_', (byte)'C', (byte)'O', (byte)'R', (byte)'R', (byte)'E', (byte)'C', (byte)'T', 0 };
            return getenv(name) != null;
        }

        /// <summary>The same, for an option named by its dashes (<paramref name="dashCount"/> bytes of <paramref name="dashes"/>) and its full name.</summary>
        private static void Complain(byte* program, ReadOnlySpan<byte> before, byte* dashes, int dashCount, byte* name, ReadOnlySpan<byte> after)
        {
            int nameLength = Strings.CStrings.Length(name);
            byte* detail = stackalloc byte[dashCount + nameLength];
            for (int i = 0; i < dashCount; i++)
                detail[i] = dashes[i];
            for (int i = 0; i < nameLength; i++)
                detail[dashCount + i] = name[i];
            Complain(program, before, detail, dashCount + nameLength, after);
        }

        /// <summary>`program: before` + <paramref name="length"/> bytes of <paramref name="detail"/> + `after`, one line on stderr.</summary>
        private static void Complain(byte* program, ReadOnlySpan<byte> before, byte* detail, int length, ReadOnlySpan<byte> after)
        {
            StdioFile* file = (StdioFile*)*Process.LibcData.Slot(Process.LibcData.Stderr);
            if (!StdioFile.IsValid(file))
                return;
            byte colon = (byte)':', space = (byte)' ', newline = (byte)'\n';
            PthreadMutex.Lock(&file->Lock, 0);
            if (program != null)
            {
                file->WriteBytes(program, Strings.CStrings.Length(program));
                file->WriteBytes(&colon, 1);
                file->WriteBytes(&space, 1);
            }
            fixed (byte* text = before)
                file->WriteBytes(text, before.Length);
            file->WriteBytes(detail, length);
            fixed (byte* text = after)
                file->WriteBytes(text, after.Length);
            file->WriteBytes(&newline, 1);
            PthreadMutex.Unlock(&file->Lock);
        }
    }
}
