using Osv.Annotations;
using System.Threading;
using Osv.Arch.X64.Time;

namespace Osv.Arch.X64.Interrupts
{
    /// <summary>The local APIC (xAPIC, MMIO): its timer is the scheduler's clock event source.</summary>
    public static unsafe class LocalApic
    {
        public const byte TimerVector = 0x20;
        public const byte SpuriousVector = 0xFF;
        public const ulong DefaultBase = 0xFEE00000;

        private const int RegisterId = 0x20;
        private const int RegisterEoi = 0xB0;
        private const int RegisterCommandLow = 0x300;
        private const int RegisterCommandHigh = 0x310;
        private const uint DeliveryPending = 1 << 12;
        private const int RegisterSpurious = 0xF0;
        private const int RegisterLvtTimer = 0x320;
        private const int RegisterInitialCount = 0x380;
        private const int RegisterCurrentCount = 0x390;
        private const int RegisterDivide = 0x3E0;
        private const uint LvtMasked = 1 << 16;

        private static byte* s_base;
        private static ulong s_timerTicksPerSecond;
        private static long s_timerInterrupts;

        public static ulong BaseAddress => (ulong)s_base;
        public static ulong TimerFrequency => s_timerTicksPerSecond;
        public static long TimerInterrupts => Volatile.Read(ref s_timerInterrupts);

        /// <summary>The interrupt counter itself, for assembly that waits on it.</summary>
        public static long* TimerInterruptCounter
        {
            get
            {
                fixed (long* counter = &s_timerInterrupts)
                    return counter;
            }
        }

        private static uint Read(int register) => Volatile.Read(ref *(uint*)(s_base + register));
        private static void Write(int register, uint value) => Volatile.Write(ref *(uint*)(s_base + register), value);

        /// <summary>Masks the legacy PIC, enables the APIC, and measures its timer against the TSC.</summary>
        public static void Initialize()
        {
            Cpu.Out8(0x21, 0xFF);
            Cpu.Out8(0xA1, 0xFF);

            ulong apicBaseMsr = Cpu.ReadMsr(Cpu.MsrApicBase);
            s_base = (byte*)(apicBaseMsr & 0xFFFFF000);
            Cpu.WriteMsr(Cpu.MsrApicBase, apicBaseMsr | (1 << 11));
            Write(RegisterSpurious, 0x100 | SpuriousVector);

            Write(RegisterDivide, 0x3); // divide by 16
            Write(RegisterLvtTimer, LvtMasked | TimerVector);
            s_timerTicksPerSecond = MeasureTimerFrequency();
        }

        /// <summary>
        /// Counts timer ticks against the TSC. Each count read is paired with a TSC read, so time lost
        /// around the window (QEMU descheduled on a busy host) cancels out; the median of three windows
        /// discards one disturbed pairing.
        /// </summary>
        private static ulong MeasureTimerFrequency()
        {
            ulong* samples = stackalloc ulong[3];
            for (int i = 0; i < 3; i++)
            {
                Write(RegisterInitialCount, 0xFFFFFFFF);
                uint startCount = Read(RegisterCurrentCount);
                ulong startTsc = Cpu.ReadTimestampCounter();
                TscClock.SpinNanoseconds(300000);
                uint endCount = Read(RegisterCurrentCount);
                ulong endTsc = Cpu.ReadTimestampCounter();
                ulong tscTicks = endTsc - startTsc;
                samples[i] = tscTicks == 0 ? 0 : (ulong)(startCount - endCount) * TscClock.TicksPerSecond / tscTicks;
            }
            Write(RegisterInitialCount, 0);
            ulong a = samples[0], b = samples[1], c = samples[2];
            return a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
        }

        public static uint CurrentApicId => Read(RegisterId) >> 24;

        /// <summary>A secondary CPU: software-enable its APIC with the same spurious vector, timer masked.</summary>
        public static void EnableOnThisCpu()
        {
            Cpu.WriteMsr(Cpu.MsrApicBase, Cpu.ReadMsr(Cpu.MsrApicBase) | (1 << 11));
            Write(RegisterSpurious, 0x100 | SpuriousVector);
            Write(RegisterLvtTimer, LvtMasked | TimerVector);
        }

        /// <summary>A fixed-delivery interrupt with <paramref name="vector"/> to one CPU.</summary>
        public static void SendFixed(uint apicId, byte vector) => SendCommand(apicId, 0x00004000u | vector);

        /// <summary>INIT (level assert) to one CPU.</summary>
        public static void SendInit(uint apicId) => SendCommand(apicId, 0x00004500);

        /// <summary>Start-up IPI: the CPU begins in real mode at page <paramref name="vector"/>.</summary>
        public static void SendStartup(uint apicId, byte vector) => SendCommand(apicId, 0x00004600u | vector);

        private static void SendCommand(uint apicId, uint command)
        {
            Write(RegisterCommandHigh, apicId << 24);
            Write(RegisterCommandLow, command);
            for (int spin = 0; spin < 1000000 && (Read(RegisterCommandLow) & DeliveryPending) != 0; spin++)
                Cpu.Pause();
        }

        /// <summary>Fires <see cref="TimerVector"/> once after the given time.</summary>
        public static void ArmOneShot(ulong nanoseconds)
        {
            if (nanoseconds > 1000000000UL)
                nanoseconds = 1000000000UL; // keeps the product below in range; a later interrupt re-arms
            ulong ticks = s_timerTicksPerSecond * nanoseconds / 1000000000UL;
            if (ticks == 0)
                ticks = 1;
            if (ticks > 0xFFFFFFFF)
                ticks = 0xFFFFFFFF;
            Write(RegisterLvtTimer, TimerVector);
            Write(RegisterInitialCount, (uint)ticks);
        }

        public static void EndOfInterrupt() => Write(RegisterEoi, 0);

        /// <summary>Stops a pending one-shot.</summary>
        public static void Disarm() => Write(RegisterInitialCount, 0);

        /// <summary>Counts a timer interrupt (for handlers that replace <see cref="OnTimer"/>).</summary>
        public static void RecordTimerInterrupt() => Interlocked.Increment(ref s_timerInterrupts);

        /// <summary>The timer interrupt handler: counts and acknowledges (the scheduler will hook in here).</summary>
        [PopulatedStack]
        public static void OnTimer(TrapFrame* frame)
        {
            RecordTimerInterrupt();
            EndOfInterrupt();
        }
    }
}
