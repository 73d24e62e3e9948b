namespace Osv.Core.Linux
{
    /// <summary>Linux x86-64 errno values (include/uapi/asm-generic/errno-base.h, errno.h): system calls return their negation.</summary>
    public static class Errno
    {
        public const int EPERM = 1;
        public const int ENOENT = 2;
        public const int ESRCH = 3;
        public const int EINTR = 4;
        public const int EIO = 5;
        public const int EBADF = 9;
        public const int EAGAIN = 11;
        public const int ENOMEM = 12;
        public const int EACCES = 13;
        public const int EFAULT = 14;
        public const int EBUSY = 16;
        public const int ENODEV = 19;
        public const int EEXIST = 17;
        public const int ENOTDIR = 20;
        public const int EISDIR = 21;
        public const int EINVAL = 22;
        public const int EMFILE = 24;
        public const int ENOSPC = 28;
        public const int ESPIPE = 29;
        public const int EROFS = 30;
        public const int EPIPE = 32;
        public const int ERANGE = 34;
        public const int ENAMETOOLONG = 36;
        public const int ENOSYS = 38;
        public const int ENOTEMPTY = 39;
        public const int ELOOP = 40;
        public const int ETIMEDOUT = 110;
    }
}
