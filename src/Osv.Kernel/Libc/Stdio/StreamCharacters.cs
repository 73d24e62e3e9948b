using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Pthreads;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Stdio
{
    /// <summary>
    /// Byte-at-a-time stream calls beyond Stdio's: glibc's __uflow/__overflow (what its inlined
    /// getc_unlocked/putc_unlocked call, see <see cref="StdioFile"/>), ungetc, and the *_unlocked names.
    /// The stream lock is recursive, so an *_unlocked call that takes it anyway is correct inside
    /// flockfile and costs only an uncontended lock outside it.
    /// </summary>
    internal static unsafe class StreamCharacters
    {
        private const int EOF = -1;

        private static bool Check(StdioFile* file)
        {
            if (StdioFile.IsValid(file))
                return true;
            ErrnoLocation.Set(LibcErrors.EBADF);
            return false;
        }

        private static StdioFile* StandardInput => (StdioFile*)*Process.LibcData.Slot(Process.LibcData.Stdin);
        private static StdioFile* StandardOutput => (StdioFile*)*Process.LibcData.Slot(Process.LibcData.Stdout);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__uflow")]
        public static int Underflow(StdioFile* file) => Stdio.GetCharacter(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__overflow")]
        public static int Overflow(StdioFile* file, int character) => Stdio.PutCharacter(character, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ungetc")]
        public static int Unget(int character, StdioFile* file)
        {
            if (character == EOF || !Check(file))
                return EOF;
            PthreadMutex.Lock(&file->Lock, 0);
            int result = file->PushBack(character);
            PthreadMutex.Unlock(&file->Lock);
            return result;
        }

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getc_unlocked")]
        public static int GetUnlocked(StdioFile* file) => Stdio.GetCharacter(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fgetc_unlocked")]
        public static int FileGetUnlocked(StdioFile* file) => Stdio.GetCharacter(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "getchar_unlocked")]
        public static int GetCharUnlocked() => Stdio.GetCharacter(StandardInput);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "putc_unlocked")]
        public static int PutUnlocked(int character, StdioFile* file) => Stdio.PutCharacter(character, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fputc_unlocked")]
        public static int FilePutUnlocked(int character, StdioFile* file) => Stdio.PutCharacter(character, file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "putchar_unlocked")]
        public static int PutCharUnlocked(int character) => Stdio.PutCharacter(character, StandardOutput);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "feof_unlocked")]
        public static int EndOfFileUnlocked(StdioFile* file) => Stdio.IsAtEnd(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "ferror_unlocked")]
        public static int ErrorUnlocked(StdioFile* file) => Stdio.HasFailed(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "clearerr_unlocked")]
        public static void ClearErrorUnlocked(StdioFile* file) => Stdio.ClearFlags(file);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "fileno_unlocked")]
        public static int DescriptorOfUnlocked(StdioFile* file) => Stdio.Descriptor(file);
    }
}
