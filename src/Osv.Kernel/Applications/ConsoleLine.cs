using System;
using Osv.Core.Console;

namespace Osv.Kernel.Applications
{
    /// <summary>
    /// One console line put together first and written in one piece, so that programs running in the
    /// background cannot print into the middle of it. Longer lines are cut at the buffer's end.
    /// </summary>
    internal ref struct ConsoleLine
    {
        private readonly Span<byte> _buffer;
        private int _length;

        public ConsoleLine(Span<byte> buffer)
        {
            _buffer = buffer;
            _length = 0;
        }

        public void Append(string text)
        {
            for (int i = 0; i < text.Length && _length < _buffer.Length - 1; i++)
                _buffer[_length++] = text[i] < 128 ? (byte)text[i] : (byte)'?';
        }

        public void AppendDecimal(ulong value)
        {
            Span<byte> digits = stackalloc byte[20];
            int count = 0;
            do
            {
                digits[count++] = (byte)('0' + value % 10);
                value /= 10;
            }
            while (value != 0);
            while (count > 0 && _length < _buffer.Length - 1)
                _buffer[_length++] = digits[--count];
        }

        /// <summary>Writes the line and its newline.</summary>
        public void WriteLine()
        {
            _buffer[_length++] = (byte)'\n';
            KernelConsole.Write(_buffer.Slice(0, _length));
            _length = 0;
        }
    }
}
