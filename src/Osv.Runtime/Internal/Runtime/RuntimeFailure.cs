using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    /// <summary>
    /// The runtime cannot print; the kernel registers its panic routine here at boot.
    /// Every unrecoverable runtime condition (throw, failed cast, out of memory) ends in <see cref="FailFast"/>.
    /// </summary>
    public static unsafe class RuntimeFailure
    {
        /// <summary>Receives a NUL-terminated ASCII message and the address the failure was raised from; never returns.</summary>
        private static delegate*<byte*, nint, void> s_handler;

        public static void RegisterHandler(delegate*<byte*, nint, void> handler) => s_handler = handler;

        [DoesNotReturn]
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void FailFast(string message)
        {
            // Copy to ASCII on the stack: the heap may be what failed.
            byte* buffer = stackalloc byte[128];
            int length = message.Length < 127 ? message.Length : 127;
            for (int i = 0; i < length; i++)
            {
                char c = message[i];
                buffer[i] = c < 128 ? (byte)c : (byte)'?';
            }
            buffer[length] = 0;
            FailFast(buffer);
        }

        [DoesNotReturn]
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void FailFast(byte* asciiMessage)
        {
            if (s_handler != null)
                s_handler(asciiMessage, 0);
            Halt();
        }

        [DoesNotReturn]
        private static void Halt()
        {
            while (true)
            {
            }
        }
    }
}
