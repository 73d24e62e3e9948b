using System.Runtime.InteropServices;
using Osv.Annotations;
using Osv.Kernel.Libc.Threads;

namespace Osv.Kernel.Libc.Locale
{
    /// <summary>
    /// newlocale, duplocale, freelocale and uselocale (and glibc's __ names for them) over musl's, which the
    /// build renames to __osv_musl_* (Libc/musl-renamed-symbols.txt): programs get <see cref="GlibcLocale"/>
    /// objects, glibc-shaped, whose first words are musl's locale. So every other function taking a
    /// locale_t (nl_langinfo_l, strcoll_l, strtod_l, towupper_l, strftime_l ...) is musl's own, given the
    /// program's pointer unchanged. LC_GLOBAL_LOCALE ((locale_t)-1) passes through.
    /// </summary>
    internal static unsafe class LocaleObjects
    {
        public static readonly void* GlobalLocale = (void*)-1;
        private const int LcAll = 6;
        private const int MuslAllCategories = (1 << GlibcLocale.MuslCategories) - 1;

        [DllImport("*"), SuppressGCTransition] private static extern ulong* __osv_musl_newlocale(int mask, byte* name, ulong* locale);
        [DllImport("*"), SuppressGCTransition] private static extern ulong* __osv_musl_duplocale(void* locale);
        [DllImport("*"), SuppressGCTransition] private static extern void __osv_musl_freelocale(ulong* locale);
        [DllImport("*"), SuppressGCTransition] private static extern void* __osv_musl_uselocale(void* locale);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "newlocale")]
        public static void* New(int mask, byte* name, void* locale) => Make(mask, name, locale);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__newlocale")]
        public static void* NewInternal(int mask, byte* name, void* locale) => Make(mask, name, locale);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "duplocale")]
        public static void* Duplicate(void* locale) => Copy(locale);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__duplocale")]
        public static void* DuplicateInternal(void* locale) => Copy(locale);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "freelocale")]
        public static void FreeObject(void* locale) => Release(locale);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__freelocale")]
        public static void FreeObjectInternal(void* locale) => Release(locale);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "uselocale")]
        public static void* Use(void* locale) => Switch(locale);

        [OsvApi("libc.so.6")]
        [UnmanagedCallersOnly(EntryPoint = "__uselocale")]
        public static void* UseInternal(void* locale) => Switch(locale);

        private static void* Invalid()
        {
            ErrnoLocation.Set(LibcErrors.EINVAL);
            return null;
        }

        private static void* Make(int mask, byte* name, void* baseLocale)
        {
            if (name == null || (baseLocale != null && baseLocale != GlobalLocale && !GlibcLocale.IsOne(baseLocale)))
                return Invalid();
            // libstdc++ asks for 1 << LC_ALL, which glibc reads as every category; musl knows only its six.
            int muslMask = mask == 1 << LcAll ? MuslAllCategories : mask & MuslAllCategories;

            if (GlibcLocale.IsOne(baseLocale))
            {
                // musl changes an object it did not make in place, as glibc may: the base is the result.
                var reused = (GlibcLocale*)baseLocale;
                if (__osv_musl_newlocale(muslMask, name, (ulong*)reused) == null)
                    return null;
                reused->Rename();
                return reused;
            }

            // From nothing (the categories outside the mask from the environment, as musl and glibc do),
            // or from a copy of the global locale.
            ulong* start = null;
            if (baseLocale == GlobalLocale)
            {
                start = __osv_musl_duplocale(GlobalLocale);
                if (start == null)
                    return null;
            }
            ulong* musl = __osv_musl_newlocale(muslMask, name, start);
            if (musl == null)
            {
                __osv_musl_freelocale(start);
                return null;
            }
            GlibcLocale* made = GlibcLocale.Create(musl);
            __osv_musl_freelocale(musl); // musl's own static locales it leaves alone
            return made;
        }

        private static void* Copy(void* locale)
        {
            if (GlibcLocale.IsOne(locale))
                return GlibcLocale.Create(((GlibcLocale*)locale)->Locales);
            if (locale != GlobalLocale)
                return Invalid();
            ulong* global = __osv_musl_duplocale(GlobalLocale);
            if (global == null)
                return null;
            GlibcLocale* made = GlibcLocale.Create(global);
            __osv_musl_freelocale(global);
            return made;
        }

        private static void Release(void* locale)
        {
            if (GlibcLocale.IsOne(locale))
                GlibcLocale.Free((GlibcLocale*)locale);
        }

        private static void* Switch(void* locale)
        {
            if (locale != null && locale != GlobalLocale && !GlibcLocale.IsOne(locale))
                return Invalid();
            void* previous = __osv_musl_uselocale(locale);
            // A thread that never called uselocale runs on its own copy of musl's C locale (Threads/
            // ThreadBlocks), which is what glibc calls the global locale.
            return GlibcLocale.IsOne(previous) ? previous : GlobalLocale;
        }
    }
}
