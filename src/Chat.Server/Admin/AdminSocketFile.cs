using System.Net.Sockets;
using Microsoft.Extensions.Hosting;

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
    /// Removes a socket file that no server answers on, left by one that was killed. Anything with
    /// content is no socket (a socket file is always empty) and stays: a mistyped path must never
    /// cost the operator a file, and the bind then fails and says why.
    /// </summary>
    public static void RemoveStale(string path)
    {
        var file = new FileInfo(path);
        if (file.Exists && file.Length == 0 && !IsServed(path))
        {
            file.Delete();
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

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        File.Delete(Path);
        return Task.CompletedTask;
    }
}
