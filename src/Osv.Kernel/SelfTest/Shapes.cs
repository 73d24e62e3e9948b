using System.Runtime.CompilerServices;

namespace Osv.Kernel.SelfTest
{
    // Six implementations behind NoInlining call sites: ILC cannot devirtualize these calls,
    // so they go through real interface dispatch cells and virtual slots.
    internal interface IShape
    {
        int Sides();
        int Scaled(int factor);
        int Describe() => Sides() * 1000; // default interface method
    }

    internal interface INamed
    {
        string Name();
    }

    internal abstract class Polygon : IShape, INamed
    {
        public abstract int Sides();
        public virtual int Scaled(int factor) => Sides() * factor;
        public virtual string Name() => "polygon";
    }

    internal sealed class Triangle : Polygon
    {
        public override int Sides() => 3;
        public override string Name() => "triangle";
    }

    internal sealed class Square : Polygon
    {
        public override int Sides() => 4;
        public override int Scaled(int factor) => 40 * factor;
    }

    internal class Pentagon : Polygon
    {
        public override int Sides() => 5;
    }

    internal sealed class RegularPentagon : Pentagon
    {
        public override string Name() => "regular pentagon";
    }

    internal sealed class Hexagon : IShape
    {
        public int Sides() => 6;
        public int Scaled(int factor) => 6 * factor + 1;
        public int Describe() => -6;
    }

    internal struct Segment : IShape
    {
        public int Length;
        public int Sides() => 1;
        public int Scaled(int factor) => Length * factor;
    }

    internal static class ShapeCalls
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Sides(IShape shape) => shape.Sides();

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Scaled(IShape shape, int factor) => shape.Scaled(factor);

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Describe(IShape shape) => shape.Describe();

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static string Name(INamed named) => named.Name();

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static int Sides(Polygon polygon) => polygon.Sides();
    }
}
