using System.Collections.Concurrent;
using System.IO.Pipelines;
using Chat.Protocol;
using Chat.Server.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Server.Tests;

/// <summary>
/// A running session over in-memory pipes whose flushes are logged by name. The handshake is
/// flushed and the writer handed over before RunAsync first yields, so it is ready on return. The
/// pipe to the client pauses its writer as Kestrel's output does (at 64 KiB), and nobody reads it
/// unless a test does.
/// </summary>
internal sealed class PipedSession : IAsyncDisposable
{
    private readonly Pipe _fromClient = new();
    private readonly Task _running;

    public PipedSession(ISessionHub hub, string name, ConcurrentQueue<string> flushes, long maxQueuedBytes = 1024 * 1024)
    {
        // The pipe's default thresholds are Kestrel's output buffer: writers pause at 64 KiB, resume
        // under 32 KiB. A paused flush resumes inside the reader's AdvanceTo, so a test that reads
        // sees the drain's next step before its read returns.
        var toClient = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline));
        ToClient = toClient.Reader;
        var output = new RecordingWriter(toClient.Writer, name, flushes);
        var connection = new DefaultConnectionContext(name, new Duplex(_fromClient.Reader, output), new Duplex(toClient.Reader, _fromClient.Writer));
        var settings = new SessionSettings(FrameLimits.DefaultMaxBodyLength, maxQueuedBytes, 0, 1, TimeSpan.FromSeconds(10), TimeProvider.System);
        Session = new ChatSession(connection, hub, settings, NullLogger.Instance);
        _running = Session.RunAsync();
    }

    public ChatSession Session { get; }

    /// <summary>What the session wrote for the client; nothing reads it unless a test does.</summary>
    public PipeReader ToClient { get; }

    public async ValueTask DisposeAsync()
    {
        await _fromClient.Writer.CompleteAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
