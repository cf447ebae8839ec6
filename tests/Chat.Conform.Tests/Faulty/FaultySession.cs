using System.Net.Sockets;
using System.Threading.Channels;

namespace Chat.Conform.Tests.Faulty;

/// <summary>
/// One connection of the faulty server: a bounded outbound queue drained by one writer task, so that
/// a client that stops reading is disconnected and its own echoes only pause its reading.
/// </summary>
internal sealed class FaultySession : IDisposable
{
    // The contract's bound per connection (PROTOCOL.md §7), and the level a paused reader resumes at.
    public const long MaxQueuedBytes = 1024 * 1024;
    private const long ResumeBelow = MaxQueuedBytes / 2;

    private readonly Channel<byte[]> _outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _drained = new(0);
    private readonly SemaphoreSlim _writeLock = new(1);
    private long _queuedBytes;

    public FaultySession(Socket socket, long id)
    {
        Socket = socket;
        Id = id;
        Writer = Task.Run(WriteLoopAsync);
    }

    public Socket Socket { get; }

    public long Id { get; }

    public Task Writer { get; }

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Queues a frame; past the bound (unless <paramref name="unbounded"/>) the client is a slow consumer and is cut off.</summary>
    public bool Enqueue(byte[] frame, bool unbounded)
    {
        if (!unbounded && QueuedBytes + frame.Length > MaxQueuedBytes)
        {
            Abort();
            return false;
        }

        Interlocked.Add(ref _queuedBytes, frame.Length);
        return _outbound.Writer.TryWrite(frame);
    }

    /// <summary>Writes a frame straight to the socket and waits for it: how a server stalls on a slow reader.</summary>
    public async Task WriteNowAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await Socket.SendAsync(frame, SocketFlags.None, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Waits while this connection's own queue is over the bound: its reading pauses, and TCP pushes back.</summary>
    public async Task WaitWhileBackedUpAsync(CancellationToken cancellationToken)
    {
        if (QueuedBytes <= MaxQueuedBytes)
        {
            return;
        }

        while (QueuedBytes > ResumeBelow)
        {
            await _drained.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Sends what is queued, then closes.</summary>
    public void Complete() => _outbound.Writer.TryComplete();

    /// <summary>Closes at once, dropping what is queued.</summary>
    public void Abort()
    {
        _outbound.Writer.TryComplete();
        Socket.Close(0);
    }

    /// <summary>Once the writer has ended.</summary>
    public void Dispose()
    {
        _drained.Dispose();
        _writeLock.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var frame in _outbound.Reader.ReadAllAsync())
            {
                await WriteNowAsync(frame, CancellationToken.None);
                if (Interlocked.Add(ref _queuedBytes, -frame.Length) <= ResumeBelow && _drained.CurrentCount == 0)
                {
                    _drained.Release();
                }
            }

            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // The client is gone or was cut off; nothing left to write.
        }
        finally
        {
            _drained.Release();
            Socket.Dispose();
        }
    }
}
