using System;
using System.Runtime.InteropServices;
using Osv.Core.Elf;

namespace Osv.Kernel.Libc.Getopt
{
    /// <summary>
    /// optarg, optind, opterr and optopt: data objects in the image (Boot/libc_glue.asm) that a program
    /// reading them takes by COPY relocation; from then on its copies are the variables (it sets optind
    /// = 0 to restart, reads optarg), so getopt works on whichever copy is the variable now.
    /// </summary>
    internal static unsafe class GetoptVariables
    {
        [DllImport("*"), SuppressGCTransition] private static extern byte* osv_getopt_data();

        private const int ArgumentOffset = 0, IndexOffset = 8, ErrorsOffset = 12, OptionOffset = 16;
        private static byte** s_argument;
        private static int* s_index, s_errors, s_option;

        public static byte** Argument => s_argument != null ? s_argument : (byte**)(osv_getopt_data() + ArgumentOffset);
        public static int* Index => s_index != null ? s_index : (int*)(osv_getopt_data() + IndexOffset);
        public static int* PrintErrors => s_errors != null ? s_errors : (int*)(osv_getopt_data() + ErrorsOffset);
        public static int* Option => s_option != null ? s_option : (int*)(osv_getopt_data() + OptionOffset);

        /// <summary>A new program: the image's variables at their C values (optind 1, opterr 1, optopt '?'), no copies adopted.</summary>
        public static void Reset()
        {
            s_argument = null;
            s_index = s_errors = s_option = null;
            *Argument = null;
            *Index = 1;
            *PrintErrors = 1;
            *Option = '?';
            Getopt.Restart();
        }

        /// <summary>After linking: the executable's COPY-relocated variables, where it has them.</summary>
        public static void AdoptProgramCopies(in LoadedProgram program)
        {
            s_argument = (byte**)Process.ProgramCopies.Find(program, "optarg"u8, default, 8);
            s_index = (int*)Process.ProgramCopies.Find(program, "optind"u8, default, 4);
            s_errors = (int*)Process.ProgramCopies.Find(program, "opterr"u8, default, 4);
            s_option = (int*)Process.ProgramCopies.Find(program, "optopt"u8, default, 4);
        }
    }
}
