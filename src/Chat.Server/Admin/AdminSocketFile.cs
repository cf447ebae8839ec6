using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.Server.Admin;

/// <summary>
/// The admin socket's file: where it is, whether a stale one may be removed before Kestrel binds,
/// its mode (0600, set as soon as the host has started, which is right after the bind), and its
/// removal when the server stops.
/// </summary>
internal sealed class AdminSocketFile : IHostedLifecycleService
{
    /// <summary>A Unix socket path holds at most 107 bytes (108 with the terminating NUL).</summary>
    public const int MaxPathBytes = 107;

    public AdminSocketFile(string path) => Path = path;

    public string Path { get; }

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

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Kestrel has bound the socket: from now on only the server's user may open it.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

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
}
