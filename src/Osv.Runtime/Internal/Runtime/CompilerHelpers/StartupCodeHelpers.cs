using System;
using System.Runtime;

namespace Internal.Runtime.CompilerHelpers
{
    /// <summary>
    /// Start-up of the managed world without a loader: walks the ReadyToRun headers ILC emits into
    /// the `__modules` section, allocates GC static bases, runs eager class constructors and module
    /// initializers. The kernel calls <see cref="InitializeModules"/> once the heap exists.
    /// </summary>
    public static unsafe class StartupCodeHelpers
    {
        private const uint ReadyToRunSignature = 0x00525452; // "RTR"
        private const int GCStaticRegion = 201;
        private const int TypeManagerIndirection = 204;
        private const int EagerCctor = 205;
        private const int ModuleInitializerList = 213;

        private const nint StaticUninitialized = 1;
        private const nint StaticHasPreInitializedData = 2;
        private const nint StaticFlagMask = 3;

        private struct ReadyToRunHeader
        {
            public uint Signature;
            public ushort MajorVersion;
            public ushort MinorVersion;
            public uint Flags;
            public ushort NumberOfSections;
            public byte EntrySize;
            public byte EntryType;
        }

        private struct ModuleInfoRow
        {
            public int SectionId;
            public int Flags;
            public byte* Start;
            public byte* End;
        }

        /// <summary>Returns 0, or a negative code naming the first malformed module header.</summary>
        public static int InitializeModules(void** moduleHeaders, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (moduleHeaders[i] == null)
                    continue;
                int status = InitializeGlobalTables((ReadyToRunHeader*)moduleHeaders[i]);
                if (status != 0)
                    return status;
            }
            for (int i = 0; i < count; i++)
            {
                if (moduleHeaders[i] != null)
                    RunInitializers((ReadyToRunHeader*)moduleHeaders[i], EagerCctor);
            }
            for (int i = 0; i < count; i++)
            {
                if (moduleHeaders[i] != null)
                    RunInitializers((ReadyToRunHeader*)moduleHeaders[i], ModuleInitializerList);
            }
            return 0;
        }

        private static byte* FindSection(ReadyToRunHeader* header, int sectionId, out nint length)
        {
            ModuleInfoRow* rows = (ModuleInfoRow*)(header + 1);
            for (int i = 0; i < header->NumberOfSections; i++)
            {
                if (rows[i].SectionId == sectionId)
                {
                    length = (nint)(rows[i].End - rows[i].Start);
                    return rows[i].Start;
                }
            }
            length = 0;
            return null;
        }

        private static int InitializeGlobalTables(ReadyToRunHeader* header)
        {
            if (header->Signature != ReadyToRunSignature)
                return -1;

            byte* indirection = FindSection(header, TypeManagerIndirection, out _);
            if (indirection != null)
                *(void**)indirection = header;

            // The region lists each type's GC static base as a 32-bit relative pointer. Until start-up, a base
            // holds a relative pointer to the MethodTable of its holder object, tagged with flag bits.
            byte* statics = FindSection(header, GCStaticRegion, out nint length);
            for (byte* entry = statics; entry < statics + length; entry += sizeof(int))
            {
                byte* staticBase = ReadRelativePointer(entry);
                nint encoded = (nint)ReadRelativePointer(staticBase);
                if ((encoded & StaticUninitialized) == 0)
                    continue; // shared with a module initialized already

                MethodTable* type = (MethodTable*)(encoded & ~StaticFlagMask);
                object? holder = RuntimeExports.NewObject(type);
                if (holder == null)
                    return -2;
                if ((encoded & StaticHasPreInitializedData) != 0)
                {
                    byte* preinitialized = ReadRelativePointer(staticBase + sizeof(int));
                    Buffer.Memmove(ref holder.GetRawData(), ref *preinitialized, holder.GetRawObjectDataSize());
                }
                *(nint*)staticBase = *(nint*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref holder);
            }
            return 0;
        }

        private static void RunInitializers(ReadyToRunHeader* header, int sectionId)
        {
            byte* section = FindSection(header, sectionId, out nint length);
            for (byte* entry = section; entry < section + length; entry += sizeof(int))
                ((delegate*<void>)ReadRelativePointer(entry))();
        }

        private static byte* ReadRelativePointer(byte* location) => location + *(int*)location;
    }
}
