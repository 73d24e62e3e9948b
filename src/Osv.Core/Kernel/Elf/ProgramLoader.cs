using Osv.Core.Memory;

namespace Osv.Core.Elf
{
    /// <summary>A program placed in application memory, ready to start.</summary>
    public struct LoadedProgram
    {
        /// <summary>Load bias: what was added to every p_vaddr.</summary>
        public ulong Bias;
        public ulong Entry;
        public ulong ProgramHeaders;
        public int ProgramHeaderCount;
        /// <summary>The first page after the object: where the program break starts.</summary>
        public ulong End;
        /// <summary>True when the kernel linked the object (an interpreter or DT_NEEDED libraries); false for a static PIE.</summary>
        public bool IsLinked;
        /// <summary>A linked object without an interpreter (OSv's old style, `gcc -shared`): the kernel calls its `main`.</summary>
        public bool IsSharedObject;
        /// <summary>When <see cref="IsLinked"/>: the object's dynamic section and symbols, over its laid-out memory.</summary>
        public DynamicSection Dynamic;
        public DynamicSymbols Symbols;
    }

    /// <summary>
    /// Places a position-independent executable in application memory: one reservation for all of
    /// its PT_LOAD segments (populated, so the program never waits for its own code), file bytes
    /// copied, bss zeroed, then each page given the union of its segments' permissions. Static PIEs
    /// (musl's or glibc's -static-pie) relocate themselves; an object with an interpreter (a glibc PIE) or
    /// with DT_NEEDED libraries (a shared object with `main`) is linked by <see cref="DynamicLinker"/> before
    /// the protections are applied, and its PT_GNU_RELRO becomes read-only after relocation.
    /// </summary>
    public static unsafe class ProgramLoader
    {
        private const ulong PageSize = 4096;

        /// <param name="objectName">The program's path, for error values (must outlive them).</param>
        public static ElfError Load(byte* file, ulong length, System.ReadOnlySpan<byte> objectName, out LoadedProgram program)
        {
            program = default;
            DynamicLinker.BeginProgram();
            ElfError parsed = ElfImage.Parse(file, length, ElfMachine.X86_64, out ElfImage image);
            if (!parsed.IsOk)
                return parsed;
            if (image.Type == ElfFileType.Executable)
                return ElfError.Of(ElfStatus.FixedAddressExecutable, offset: 16, value: (ulong)image.Type);

            ElfError placed = Place(image, out ulong bias, out ulong start, out ulong end);
            if (!placed.IsOk)
                return placed;
            program.Bias = bias;
            ElfError linked = DynamicLinker.LinkIfNeeded(image, bias, start, end, objectName, ref program);
            if (!linked.IsOk)
            {
                ApplicationMemory.Unmap(bias + start, end - start);
                return linked;
            }
            Protect(image, bias, start, end, program.IsLinked);

            program.Bias = bias;
            program.Entry = bias + image.Entry;
            program.ProgramHeaders = bias + ProgramHeadersAddress(image);
            program.ProgramHeaderCount = image.ProgramHeaderCount;
            program.End = bias + end;
            return ElfError.Ok;
        }

        /// <summary>Reserves the object's extent (populated, read-write) and copies its PT_LOAD segments in; start/end are page-rounded p_vaddr bounds.</summary>
        public static ElfError Place(in ElfImage image, out ulong bias, out ulong start, out ulong end)
        {
            start = image.LoadStart & ~(PageSize - 1);
            end = (image.LoadEnd + PageSize - 1) & ~(PageSize - 1);
            bias = 0;
            ulong extent = end - start;
            long mapped = ApplicationMemory.Map(0, extent, ApplicationMemory.ProtectionRead | ApplicationMemory.ProtectionWrite,
                ApplicationMemory.MapPrivate | ApplicationMemory.MapAnonymous | ApplicationMemory.MapPopulate);
            if (mapped < 0)
                return ElfError.Of(ElfStatus.OutOfMemory, value: extent);
            bias = (ulong)mapped - start;
            if (!image.CopyLoadSegments((byte*)(bias + image.LoadStart), end - image.LoadStart))
            {
                ApplicationMemory.Unmap((ulong)mapped, extent);
                return ElfError.Of(ElfStatus.OutOfMemory, value: extent);
            }
            return ElfError.Ok;
        }

        /// <summary>After relocation: each page its segments' permissions, and PT_GNU_RELRO read-only when the object was linked.</summary>
        public static void Protect(in ElfImage image, ulong bias, ulong start, ulong end, bool linked)
        {
            ApplySegmentProtections(image, bias, start, end);
            if (linked && image.RelroIndex >= 0)
            {
                ProgramHeader relro = image.ProgramHeaderAt(image.RelroIndex);
                ulong relroStart = (bias + relro.VirtualAddress) & ~(PageSize - 1);
                ulong relroEnd = (bias + relro.VirtualAddress + relro.MemorySize) & ~(PageSize - 1);
                if (relroEnd > relroStart)
                    ApplicationMemory.Protect(relroStart, relroEnd - relroStart, ApplicationMemory.ProtectionRead);
            }
        }

        /// <summary>Where the program headers are once loaded (before the bias): PT_PHDR says so, else the PT_LOAD whose file bytes hold e_phoff; 0 when no segment maps them.</summary>
        internal static ulong ProgramHeadersAddress(in ElfImage image)
        {
            ulong headerOffset = *(ulong*)(image.Data + 32);
            for (int i = 0; i < image.ProgramHeaderCount; i++)
            {
                ProgramHeader header = image.ProgramHeaderAt(i);
                if (header.Type == ProgramHeaderType.ProgramHeaders)
                    return header.VirtualAddress;
            }
            for (int i = 0; i < image.ProgramHeaderCount; i++)
            {
                ProgramHeader header = image.ProgramHeaderAt(i);
                if (header.Type == ProgramHeaderType.Load && headerOffset >= header.Offset && headerOffset < header.Offset + header.FileSize)
                    return header.VirtualAddress + (headerOffset - header.Offset);
            }
            return 0;
        }

        /// <summary>Each page gets what every segment touching it asks for (a page shared by code and data gets both).</summary>
        private static void ApplySegmentProtections(in ElfImage image, ulong bias, ulong start, ulong end)
        {
            ulong pages = (end - start) / PageSize;
            byte* protections = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)pages);
            if (protections == null)
                return; // everything stays read-write: still runs, only less protected
            for (int i = 0; i < image.ProgramHeaderCount; i++)
            {
                ProgramHeader segment = image.ProgramHeaderAt(i);
                if (segment.Type != ProgramHeaderType.Load || segment.MemorySize == 0)
                    continue;
                int protection = 0;
                if ((segment.Flags & ProgramHeader.Readable) != 0)
                    protection |= ApplicationMemory.ProtectionRead;
                if ((segment.Flags & ProgramHeader.Writable) != 0)
                    protection |= ApplicationMemory.ProtectionWrite;
                if ((segment.Flags & ProgramHeader.Executable) != 0)
                    protection |= ApplicationMemory.ProtectionExecute | ApplicationMemory.ProtectionRead;
                ulong first = ((segment.VirtualAddress & ~(PageSize - 1)) - start) / PageSize;
                ulong last = ((segment.VirtualEnd + PageSize - 1 & ~(PageSize - 1)) - start) / PageSize;
                for (ulong page = first; page < last && page < pages; page++)
                    protections[page] |= (byte)protection;
            }
            ulong runStart = 0;
            for (ulong page = 1; page <= pages; page++)
            {
                if (page < pages && protections[page] == protections[runStart])
                    continue;
                ApplicationMemory.Protect(bias + start + runStart * PageSize, (page - runStart) * PageSize, protections[runStart]);
                runStart = page;
            }
            System.Runtime.InteropServices.NativeMemory.Free(protections);
        }
    }
}
