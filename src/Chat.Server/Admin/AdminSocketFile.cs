using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.Server.Admin;

/// <summary>
/// The admin socket's file: where it is, whether a stale one may be removed before Kestrel binds,
/// how it comes to exist with mode 0600 from its first moment, and its removal when the server stops.
/// </summary>
/// <remarks>
/// bind(2) creates a socket file with the mode the process umask leaves (0777 under umask 000), and
/// whoever may open it may connect, so a chmod after the bind leaves a moment in which anyone can.
/// A umask around the bind would close it, but the umask belongs to the whole process: every file
/// any thread creates meanwhile would get it, and Kestrel binds at a time of its choosing. So Kestrel
/// binds inside a new folder of mode 0700 beside the final path, which no other user may enter
/// whatever the socket's own mode; then the socket gets mode 0600 and is linked to its final name
/// (link(2), which never replaces a file), and the folder is removed.
/// </remarks>
internal sealed class AdminSocketFile : IHostedLifecycleService, IDisposable
{
    /// <summary>A Unix socket path holds at most 107 bytes (108 with the terminating NUL).</summary>
    public const int MaxPathBytes = 107;

    private const UnixFileMode PrivateFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // The folder Kestrel binds in; null where there is none to make (Windows).
    private readonly string? _privateFolder;

    public AdminSocketFile(string path)
    {
        Path = path;
        BindPath = path;
        if (!OperatingSystem.IsWindows())
        {
            // Random, so that no other user can make the folder first.
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            _privateFolder = System.IO.Path.Combine(folder, "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
            BindPath = System.IO.Path.Combine(_privateFolder, "s");
            var bindPathBytes = Encoding.UTF8.GetByteCount(BindPath);
            if (bindPathBytes > MaxPathBytes)
            {
                throw new OptionsValidationException(ChatServerOptions.SectionName, typeof(ChatServerOptions),
                    [$"AdminSocketPath '{path}' is in a folder whose path is too long: the socket is made in a private folder beside it first, " +
                     $"and that path would be {bindPathBytes} bytes, over the {MaxPathBytes} a Unix socket path may have."]);
            }
        }
    }

    /// <summary>Where operators and <c>chat-server admin</c> find the socket.</summary>
    public string Path { get; }

    /// <summary>Where Kestrel binds it: inside a folder only the server's user may enter.</summary>
    public string BindPath { get; }

    /// <summary>The configured path; null when the admin socket is turned off (an empty setting).</summary>
    public static string? Resolve(string? configured)
    {
        if (configured is not null)
        {
            return configured.Length == 0 ? null : configured;
        }

        var runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return !string.IsNullOrEmpty(runtimeDirectory) && Directory.Exists(runtimeDirectory)
            ? System.IO.Path.Combine(runtimeDirectory, "chat-server.sock")
            : System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"chat-server-{Environment.UserName}.sock");
    }

    /// <summary>True when a server answers on <paramref name="path"/>; a file nobody listens on is stale.</summary>
    public static bool IsServed(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Removes a socket file that no server answers on, left by one that was killed. Anything else
    /// at that path (a file, even an empty one, a folder, a link) stays, and start-up stops: a
    /// mistyped path must never cost the operator a file.
    /// </summary>
    /// <exception cref="OptionsValidationException">Something that is not a socket is at <paramref name="path"/>.</exception>
    public static void RemoveStale(string path)
    {
        // File.Exists also holds for a socket, a FIFO and a link that leads nowhere.
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return;
        }

        if (!UnixSocketFile.IsSocket(path))
        {
            throw new OptionsValidationException(ChatServerOptions.SectionName, typeof(ChatServerOptions),
                [$"AdminSocketPath '{path}' exists and is not a socket; it is left alone. Remove it, or choose another path."]);
        }

        if (!IsServed(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>Before Kestrel binds: the folder it binds in, which only the server's user may enter.</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_privateFolder!, PrivateFolderMode);
            // The umask may have taken bits from the mode asked for; the folder must still be usable.
            File.SetUnixFileMode(_privateFolder!, PrivateFolderMode);
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Kestrel has bound the socket: it gets mode 0600, and only then its name at <see cref="Path"/>.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return Task.CompletedTask;
        }

        File.SetUnixFileMode(BindPath, SocketMode);
        try
        {
            // A file that appeared at the path since start-up began is never replaced.
            UnixSocketFile.Link(BindPath, Path);
        }
        catch (IOException exception)
        {
            throw new OptionsValidationException(ChatServerOptions.SectionName, typeof(ChatServerOptions),
                [$"AdminSocketPath '{Path}' cannot be taken: {exception.Message}"]);
        }

        Directory.Delete(_privateFolder!, recursive: true);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The socket file goes with the server; anything else found at its path stays.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows() || UnixSocketFile.IsSocket(Path))
        {
            File.Delete(Path);
        }

        return Task.CompletedTask;
    }

    /// <summary>A start that failed before the socket got its final name leaves the private folder; it goes.</summary>
    public void Dispose()
    {
        if (_privateFolder is not null && Directory.Exists(_privateFolder))
        {
            Directory.Delete(_privateFolder, recursive: true);
        }
    }
}
