using System.Runtime.InteropServices;

namespace Chat.Server.Admin;

/// <summary>
/// What the admin socket's file needs of the C library that .NET does not offer. Telling a socket
/// from every other kind of file: .NET reports a socket as a plain file, and opening a path to look
/// can block (a FIFO) or act (a device), so this asks the kernel for the file's type with statx(2),
/// which Linux has since 4.11 and glibc since 2.28. And giving a file a second name without ever
/// replacing one: File.Move without overwrite checks the target and then renames, which replaces
/// whatever appeared in between; link(2) fails instead.
/// </summary>
internal static class UnixSocketFile
{
    // statx(2): relative to the working directory, not following a symbolic link (a link to a
    // socket is not a socket), asking for the type only. struct statx has one layout on every
    // architecture: stx_mask (u32) at 0, stx_mode (u16) at 28; 256 bytes in all.
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int SocketType = 0xC000;

    /// <summary>
    /// True when <paramref name="path"/> itself is a socket. False for anything else, for nothing
    /// there, and where the type cannot be read (not Linux): what is not known to be a socket is
    /// treated as not one, so it is never removed.
    /// </summary>
    public static bool IsSocket(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var status = new byte[StatxSize];
        try
        {
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, status) != 0)
            {
                return false;
            }
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without statx: the type cannot be told.
            return false;
        }

        var known = (BitConverter.ToUInt32(status, 0) & StatxType) != 0;
        return known && (BitConverter.ToUInt16(status, ModeOffset) & TypeMask) == SocketType;
    }

    /// <summary>Gives the file at <paramref name="path"/> the name <paramref name="newPath"/> too, unless something has that name.</summary>
    /// <exception cref="IOException">The link failed, for instance because <paramref name="newPath"/> exists.</exception>
    public static void Link(string path, string newPath)
    {
        if (LinkFile(path, newPath) != 0)
        {
            throw new IOException($"cannot link '{path}' to '{newPath}': {Marshal.GetLastPInvokeErrorMessage()}");
        }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LinkFile([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] status);
}
