using Osv.Core.Elf;
using Osv.Core.Threads;

namespace Osv.Kernel.Applications
{
    /// <summary>One started command: what its main thread needs to enter it, and what the runner needs to finish it.</summary>
    internal sealed class ProgramRun
    {
        /// <summary>The Linux layer's program id (LinuxThreads.BeginProgram), also the owner of its mappings.</summary>
        public int Id;
        public LoadedProgram Program;
        public string[] Arguments = null!;
        public string[] Environment = null!;
        /// <summary>A shared object's main (0: the program has its own entry).</summary>
        public ulong SharedObjectMain;
        /// <summary>A linked program's main-thread block (0: none).</summary>
        public ulong MainThreadPointer;
        /// <summary>The status when the program ends without exit_group (its main thread failed to start).</summary>
        public int StartStatus;
        public KernelThread? Main;
        /// <summary>A background program's reaper thread (it finishes the program as soon as it ends).</summary>
        public KernelThread? Reaper;
        /// <summary>Set when the runner has finished the program (its memory freed, its line printed).</summary>
        public bool Finished;
        public int FinalStatus;
    }
}
