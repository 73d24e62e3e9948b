using System.Runtime.InteropServices;

namespace Osv.Kernel.Libc.Locale
{
    /// <summary>
    /// glibc's x86-64 <c>struct __locale_struct</c> (bits/types/__locale_t.h), the locale_t the kernel
    /// hands programs: libstdc++'s "gnu" locale model reads <c>__ctype_b</c>, <c>__ctype_tolower</c>,
    /// <c>__ctype_toupper</c> and <c>__names</c> straight out of it. Programs never read
    /// <c>__locales[]</c> (glibc's per-category data), so its first six words hold musl's own
    /// <c>struct __locale_struct</c> (one <c>__locale_map</c> pointer per category, LC_CTYPE ... LC_MESSAGES,
    /// the same numbers in both libraries): a pointer to this object IS a valid musl locale_t, and musl's
    /// *_l functions and uselocale take it unchanged. <c>__locales[6]</c> points at the object itself,
    /// which is how the kernel tells its objects from anything else musl might hold.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct GlibcLocale
    {
        public const int GlibcCategories = 13;   // __LC_LAST: LC_CTYPE ... LC_IDENTIFICATION, LC_ALL (6) included
        public const int MuslCategories = 6;     // musl's LC_ALL: the categories musl keeps
        private const int SelfSlot = MuslCategories;
        private const int MuslMapNameOffset = 16; // struct __locale_map { map; map_size; name[]; next; }

        public fixed ulong Locales[GlibcCategories];
        public ushort* CtypeB;
        public int* CtypeToLower;
        public int* CtypeToUpper;
        public fixed ulong Names[GlibcCategories];

        [DllImport("*"), SuppressGCTransition] private static extern ushort** __ctype_b_loc();
        [DllImport("*"), SuppressGCTransition] private static extern int** __ctype_tolower_loc();
        [DllImport("*"), SuppressGCTransition] private static extern int** __ctype_toupper_loc();

        /// <summary>True when <paramref name="candidate"/> is one of the kernel's objects (not null, not LC_GLOBAL_LOCALE).</summary>
        public static bool IsOne(void* candidate) =>
            candidate != null && candidate != LocaleObjects.GlobalLocale && ((GlibcLocale*)candidate)->Locales[SelfSlot] == (ulong)candidate;

        /// <summary>A new object on the heap with musl's categories <paramref name="musl"/>; null (ENOMEM) when the heap is full.</summary>
        public static GlibcLocale* Create(ulong* musl)
        {
            var locale = (GlibcLocale*)Malloc.Malloc.AllocateOrFail((nuint)sizeof(GlibcLocale));
            if (locale == null)
                return null;
            byte* bytes = (byte*)locale;
            for (int i = 0; i < sizeof(GlibcLocale); i++)
                bytes[i] = 0;
            locale->Locales[SelfSlot] = (ulong)locale;
            // musl's tables are the C locale's for every locale (bytes above 127 are no class in UTF-8 too).
            locale->CtypeB = *__ctype_b_loc();
            locale->CtypeToLower = *__ctype_tolower_loc();
            locale->CtypeToUpper = *__ctype_toupper_loc();
            locale->Adopt(musl);
            return locale;
        }

        /// <summary>Takes musl's categories and renames them: musl's map name, "C" for musl's null map.</summary>
        public void Adopt(ulong* musl)
        {
            for (int i = 0; i < MuslCategories; i++)
                Locales[i] = musl[i];
            Rename();
        }

        /// <summary>Names after musl changed the categories in place (newlocale with this object as base).</summary>
        public void Rename()
        {
            fixed (byte* c = "C\0"u8) // static data: the pointer stays valid
            {
                for (int i = 0; i < GlibcCategories; i++)
                    Names[i] = (ulong)c;
                for (int i = 0; i < MuslCategories; i++)
                {
                    if (Locales[i] != 0)
                        Names[i] = Locales[i] + MuslMapNameOffset;
                }
                // glibc's __names[LC_ALL] and the categories musl lacks (LC_PAPER ...) follow LC_CTYPE.
                for (int i = MuslCategories; i < GlibcCategories; i++)
                    Names[i] = Names[0];
            }
        }

        public static void Free(GlibcLocale* locale)
        {
            locale->Locales[SelfSlot] = 0;
            Malloc.Malloc.Release(locale);
        }
    }
}
