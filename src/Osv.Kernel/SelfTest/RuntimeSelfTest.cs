using Osv.Annotations;
using System;
using System.Runtime.CompilerServices;
using Osv.Core.Console;

namespace Osv.Kernel.SelfTest
{
    /// <summary>
    /// `--selftest`: exercises the runtime in the real kernel — interface dispatch, casts, statics and
    /// class constructors, boxing, strings, spans, generics over reference types, explicit freeing —
    /// printing one line per check. Returns the number of failed checks.
    /// </summary>
    [KernelThreadOnly] // runs from the boot sequence
    internal static unsafe class RuntimeSelfTest
    {
        public static int Run()
        {
            CheckReport report = new CheckReport("selftest: ", "selftest: ", " checks passed, ");
            report.Check("interface dispatch over six implementations", InterfaceDispatch());
            report.Check("default interface method", DefaultInterfaceMethod());
            report.Check("virtual dispatch and overrides", VirtualDispatch());
            report.Check("casts: is, as, interface, array covariance", Casts());
            report.Check("class constructor runs once, lazily", ClassConstructor());
            report.Check("reference-type statics initialized at start-up", ReferenceTypeStatics());
            report.Check("boxing and unboxing, nullable", Boxing());
            report.Check("strings: literals, equality, substring, new string", Strings());
            report.Check("spans: stackalloc, slice, copy, fill", Spans());
            report.Check("generics over reference types", Generics());
            report.Check("objects are freed back to the heap", Freeing());
            report.Check("an interrupt leaves the interrupted stack's red zone intact", RedZoneSurvivesInterrupt());
            report.Check("an interrupt preserves every general-purpose and SSE register", RegistersSurviveInterrupt());
            report.Check("an inter-processor interrupt reaches every other CPU", InterprocessorInterruptsArrive());
            report.Check("kernel timers fire in deadline order; periodic and cancelled ones too", TimerChecks.Run());
            return report.Finish();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static IShape[] MakeShapes()
        {
            Segment segment;
            segment.Length = 7;
            return new IShape[] { new Triangle(), new Square(), new Pentagon(), new RegularPentagon(), new Hexagon(), segment };
        }

        private static bool InterfaceDispatch()
        {
            IShape[] shapes = MakeShapes();
            int sides = 0;
            int scaled = 0;
            foreach (IShape shape in shapes)
            {
                sides += ShapeCalls.Sides(shape);
                scaled += ShapeCalls.Scaled(shape, 10);
            }
            // 3+4+5+5+6+1 sides; scaled: 30 + 400 + 50 + 50 + 61 + 70
            return sides == 24 && scaled == 661;
        }

        private static bool DefaultInterfaceMethod()
        {
            IShape[] shapes = MakeShapes();
            return ShapeCalls.Describe(shapes[0]) == 3000 && ShapeCalls.Describe(shapes[4]) == -6 && ShapeCalls.Describe(shapes[5]) == 1000;
        }

        private static bool VirtualDispatch()
        {
            Polygon[] polygons = { new Triangle(), new Square(), new Pentagon(), new RegularPentagon() };
            int sides = 0;
            foreach (Polygon polygon in polygons)
                sides += ShapeCalls.Sides(polygon);
            return sides == 17
                && ShapeCalls.Name(polygons[0]) == "triangle"
                && ShapeCalls.Name(polygons[1]) == "polygon"
                && ShapeCalls.Name(polygons[3]) == "regular pentagon";
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static object Opaque(object value) => value;

        private static bool Casts()
        {
            object square = Opaque(new Square());
            object hexagon = Opaque(new Hexagon());
            object squares = Opaque(new Square[2]);
            bool ok = square is IShape
                && square is INamed
                && square is Polygon
                && !(square is Triangle)
                && (square as Pentagon) == null
                && hexagon is IShape
                && !(hexagon is INamed)
                && !(hexagon is Polygon)
                && ((IShape)square).Sides() == 4
                && squares is Polygon[]
                && squares is IShape[]
                && squares is object[]
                && squares is Array
                && !(squares is Triangle[])
                && Opaque(new RegularPentagon()) is Pentagon;
            return ok;
        }

        private static bool ClassConstructor()
        {
            int before = LazyConstructed.ConstructorRuns;
            int nine = LazyConstructed.Squares[3];
            string greeting = LazyConstructed.Greeting;
            return before == 1 && nine == 9 && LazyConstructed.ConstructorRuns == 1 && greeting.Length == 30;
        }

        private static bool ReferenceTypeStatics()
        {
            return ReferenceStatics.Marker is Triangle
                && ReferenceStatics.Text == "static text"
                && ReferenceStatics.Shapes.Length == 2
                && ShapeCalls.Sides(ReferenceStatics.Shapes[1]) == 6;
        }

        private static bool Boxing()
        {
            object boxed = Opaque(42);
            int? present = 5;
            int? absent = null;
            object boxedPresent = Opaque(present);
            object? boxedAbsent = absent;
            Segment segment;
            segment.Length = 3;
            object boxedSegment = Opaque(segment);
            long? wide = -77;
            byte? narrow = 200;
            object boxedWide = Opaque(wide);
            object boxedNarrow = Opaque(narrow);
            // Unboxing must write exactly the value's size: the field after it stays intact.
            NullableWithSentinel holder;
            holder.Sentinel = 0x5EA1;
            holder.Value = (int?)boxedPresent;
            holder.After = 0x5EA2;
            holder.Value = (int?)Opaque(boxedPresent);
            return holder.After == 0x5EA2
                && holder.Sentinel == 0x5EA1
                && boxed is int
                && (int)boxed == 42
                && !(boxed is long)
                && (int)boxedPresent == 5
                && boxedAbsent == null
                && ((int?)boxedPresent).Value == 5
                && (long)boxedWide == -77
                && ((long?)boxedWide).Value == -77
                && (byte)boxedNarrow == 200
                && ((byte?)Opaque(boxedNarrow)).GetValueOrDefault() == 200
                && ((Segment)boxedSegment).Length == 3
                && ShapeCalls.Scaled((IShape)boxedSegment, 2) == 6;
        }

        private struct NullableWithSentinel
        {
            public int Sentinel;
            public int? Value;
            public int After;
        }

        private static bool Strings()
        {
            string literal = "unikernel";
            string part = literal.Substring(3, 6);
            Span<char> buffer = stackalloc char[3];
            buffer[0] = 'k';
            buffer[1] = 'e';
            buffer[2] = 'r';
            string built = new string(buffer);
            return part == "kernel"
                && part != "Kernel"
                && built == literal.Substring(3, 3)
                && literal[0] == 'u'
                && literal.Length == 9
                && string.IsNullOrEmpty("")
                && !string.IsNullOrEmpty(literal);
        }

        private static bool Spans()
        {
            Span<int> numbers = stackalloc int[16];
            for (int i = 0; i < numbers.Length; i++)
                numbers[i] = i;
            Span<int> middle = numbers.Slice(4, 8);
            int[] copy = new int[8];
            middle.CopyTo(copy);
            numbers.Slice(0, 4).Fill(-1);
            ReadOnlySpan<int> view = numbers;
            return copy[0] == 4 && copy[7] == 11 && view[3] == -1 && view[4] == 4 && middle.Length == 8;
        }

        private static bool Generics()
        {
            Polygon[] polygons = { new Triangle(), new Square() };
            string?[] names = { "a", null, "c" };
            return Generic.Last(polygons) is Square && Generic.CountNonNull(names) == 2 && Generic.Last(new string[] { "x", "y" }) == "y";
        }

        [System.Runtime.InteropServices.DllImport("*"), System.Runtime.InteropServices.SuppressGCTransition]
        private static extern int osv_red_zone_survives_interrupt(long* counter);

        private static bool RedZoneSurvivesInterrupt()
        {
            Osv.Arch.X64.Interrupts.LocalApic.ArmOneShot(100000);
            return osv_red_zone_survives_interrupt(Osv.Arch.X64.Interrupts.LocalApic.TimerInterruptCounter) == 1;
        }

        [System.Runtime.InteropServices.DllImport("*"), System.Runtime.InteropServices.SuppressGCTransition]
        private static extern int osv_registers_survive_interrupt(long* counter);

        private static bool RegistersSurviveInterrupt()
        {
            Osv.Arch.X64.Interrupts.LocalApic.ArmOneShot(100000);
            return osv_registers_survive_interrupt(Osv.Arch.X64.Interrupts.LocalApic.TimerInterruptCounter) == 1;
        }

        private static bool InterprocessorInterruptsArrive()
        {
            int others = Osv.Arch.X64.Smp.SecondaryCpus.OnlineCount - 1;
            return Osv.Arch.X64.Smp.InterprocessorInterrupts.PingOthers(100000000) == others
                && Osv.Arch.X64.Smp.CpuLocal.Current->Index == 0;
        }

        private static bool Freeing()
        {
            ulong before = KernelMemory.LiveAllocations;
            for (int round = 0; round < 1000; round++)
            {
                Triangle triangle = new Triangle();
                int[] numbers = new int[round % 50 + 1];
                Osv.Runtime.ObjectMemory.Free(triangle);
                Osv.Runtime.ObjectMemory.Free(numbers);
            }
            return KernelMemory.LiveAllocations == before;
        }
    }
}
