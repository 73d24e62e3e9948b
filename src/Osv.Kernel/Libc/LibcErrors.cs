namespace Osv.Kernel.Libc
{
    /// <summary>Linux errno values the C library returns (pthreads return them directly, malloc sets errno).</summary>
    internal static class LibcErrors
    {
        public const int EPERM = 1;
        public const int ENOENT = 2;
        public const int ESRCH = 3;
        public const int EIO = 5;
        public const int EINTR = 4;
        public const int EBADF = 9;
        public const int ECHILD = 10;
        public const int EAGAIN = 11;
        public const int ENOMEM = 12;
        public const int EFAULT = 14;
        public const int EBUSY = 16;
        public const int EEXIST = 17;
        public const int EISDIR = 21;
        public const int ENOTTY = 25;
        public const int EINVAL = 22;
        public const int ERANGE = 34;
        public const int EDEADLK = 35;
        public const int ENOSYS = 38;
        public const int ENOTSUP = 95;
        public const int ETIMEDOUT = 110;
    }
}
