using System.Net;
using Chat.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using ProtocolViolationException = Chat.Protocol.ProtocolViolationException;

namespace Chat.Server.Sessions;

/// <summary>
/// One connection from handshake to close: a read loop that hands each message to the hub, a write
/// loop that drains the bounded outbound queue, and one recorded reason for the end.
/// </summary>
internal sealed partial class ChatSession
{
    // How long a closing session waits for its queued frames to reach the socket before it aborts.
    private static readonly TimeSpan CloseFlushTimeout = TimeSpan.FromSeconds(5);

    private readonly ConnectionContext _connection;
    private readonly ISessionHub _hub;
    private readonly SessionSettings _settings;
    private readonly ILogger _logger;
    private readonly OutboundQueue _outbound;

    // Cancelled once the session closes; made only when a wait needs it (a throttled or held-back
    // read loop), so an idle session holds none. Never disposed: it holds no timer, and a close
    // that comes late must still be able to cancel it.
    private CancellationTokenSource? _closing;

    // Held by the read loop while it routes a batch and by Close while it closes the queue.
    private readonly Lock _routeGate = new();
    // Set once a close or abort has done what must precede it: nothing more the client sent is routed.
    private volatile bool _routingStopped;
    private int _closeReason = -1;
    private string? _closeDetail;
    private volatile bool _throttled;

    public ChatSession(ConnectionContext connection, ISessionHub hub, SessionSettings settings, ILogger logger, string transport = "tcp")
    {
        Transport = transport;
        _connection = connection;
        _hub = hub;
        _settings = settings;
        _logger = logger;
        _outbound = new OutboundQueue(settings.MaxQueuedBytes);
        ConnectedAt = settings.TimeProvider.GetUtcNow();
        Counters.Started(settings.TimeProvider.GetTimestamp());
    }

    /// <summary>The user id the hub assigned; 0 until the handshake is accepted.</summary>
    public long Id { get; private set; }

    public EndPoint? RemoteEndPoint => _connection.RemoteEndPoint;

    /// <summary>The remote IP address, for per-address limits; null for non-IP transports.</summary>
    public IPAddress? RemoteAddress => (_connection.RemoteEndPoint as IPEndPoint)?.Address;

    /// <summary>The address whose per-address count this session holds, set by the hub on admission.</summary>
    public IPAddress? CountedAddress { get; set; }

    /// <summary>True while the read loop waits because the client is over its message rate.</summary>
    public bool IsThrottled
    {
        get => _throttled;
        private set => _throttled = value;
    }

    public string ConnectionId => _connection.ConnectionId;

    /// <summary>The door the client came in by, for the operator: <c>tcp</c> or <c>ws</c>.</summary>
    public string Transport { get; }

    public DateTimeOffset ConnectedAt { get; }

    public SessionCounters Counters { get; } = new();

    public long QueuedBytes => _outbound.QueuedBytes;

    /// <summary>Why the session ended, once it has.</summary>
    public DisconnectReason? CloseReason => _closeReason < 0 ? null : (DisconnectReason)_closeReason;

    public string? CloseDetail => _closeDetail;

    /// <summary>Serves the connection until it ends; never throws.</summary>
    public async Task RunAsync()
    {
        using var scope = Log.BeginConnectionScope(_logger, ConnectionId, RemoteEndPoint);
        var admission = _hub.Admit(this);
        if (!admission.Accepted)
        {
            await RefuseAsync(admission);
            return;
        }

        Id = admission.Id;

        // The session owns its writer before anyone can reach it: what others send from the moment
        // it joins waits in the queue behind the handshake, and the user is reachable by the time
        // the client reads its id.
        Volatile.Write(ref _draining, 1);
        _hub.Join(this);
        if (!await WriteHandshakeAsync(admission))
        {
            StopWriting();
            _hub.Leave(this);
            Log.UserDisconnected(_logger, Id, CloseReason ?? DisconnectReason.ClientClosed, _closeDetail ?? "no detail");
            return;
        }

        Log.UserConnected(_logger, Id, RemoteEndPoint);
        HandOverWriter();

        // Kestrel asks every connection to close when the host stops; a forced stop ends here.
        var closeRequested = _connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        using var shutdownRequest = closeRequested.Register(
            static state => ((ChatSession)state!).Close(DisconnectReason.Shutdown, "the server is shutting down"), this);
        try
        {
            await ReadLoopAsync();
            TrySetCloseReason(DisconnectReason.ClientClosed, null);
        }
        catch (ProtocolViolationException violation)
        {
            Log.ProtocolViolation(_logger, Id, violation.Message);
            Close(DisconnectReason.ProtocolViolation, $"protocol violation: {violation.Message}");
        }
        catch (Exception exception) when (ConnectionErrors.IsNormalEnd(exception))
        {
            TrySetCloseReason(DisconnectReason.ClientClosed, null);
        }
        catch (Exception exception)
        {
            Log.SessionFailed(_logger, Id, exception);
            Close(DisconnectReason.ServerError, "internal server error");
        }
        finally
        {
            _hub.Leave(this);
            await FinishWritingAsync();
            Log.UserDisconnected(_logger, Id, CloseReason ?? DisconnectReason.ClientClosed, _closeDetail ?? "no detail");
        }
    }

    /// <summary>
    /// Queues one encoded frame for this connection. A client over its queue bound is disconnected
    /// as a slow consumer; the caller is never held up.
    /// </summary>
    public bool Deliver(ReadOnlySpan<byte> frame)
    {
        switch (_outbound.TryEnqueue(frame))
        {
            case EnqueueResult.Queued:
                // While its own read loop routes a batch, the session flushes once at the end of it;
                // a recipient of a batch is drained once at the end of that batch.
                if (!_inReadBatch && !DeferDrainToBatch())
                {
                    ScheduleDrain();
                }

                return true;
            case EnqueueResult.Overflow:
                Abort(DisconnectReason.SlowConsumer,
                    $"more than {_settings.MaxQueuedBytes} bytes queued for a client that is not reading");
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// Queues a frame once the read loop is not routing a batch: whatever that batch sent, and the
    /// echoes of it, are queued before this frame. For a notice that answers a message from another
    /// thread (cluster mode: it failed on its way to another node), which must follow its echo.
    /// </summary>
    public bool DeliverAfterRouting(ReadOnlySpan<byte> frame)
    {
        using (_routeGate.EnterScope())
        {
            return Deliver(frame);
        }
    }

    /// <summary>
    /// Ends the session gracefully: an optional notice from 0, then whatever is queued goes out,
    /// then the connection closes. The first reason recorded wins.
    /// </summary>
    public void Close(DisconnectReason reason, string? notice)
    {
        // Under the gate: it waits for a batch the read loop is routing, so that the last message
        // routed gets its echo before the notice, and the loop stops routing only once the notice
        // is queued (were it to stop first, its own ending could close the queue before the notice).
        using (_routeGate.EnterScope())
        {
            if (!TryClaimCloseReason(reason, notice))
            {
                return;
            }

            if (notice is not null && Id > 0)
            {
                _outbound.TryEnqueue(ServerNotices.Frame(Id, notice));
            }

            _outbound.Complete();
            _routingStopped = true;
        }

        // Outside the gate: cancellation runs the waits it ends, and none of them may run under it.
        SignalClosing();
        ScheduleDrain();
        _connection.Transport.Input.CancelPendingRead();
    }

    /// <summary>Ends the session at once, dropping what is queued.</summary>
    public void Abort(DisconnectReason reason, string detail)
    {
        if (!TrySetCloseReason(reason, detail))
        {
            return;
        }

        Log.SessionAborted(_logger, Id, reason, detail);
        _outbound.Complete();
        _connection.Abort(new ConnectionAbortedException(detail));
    }

    private bool TrySetCloseReason(DisconnectReason reason, string? detail)
    {
        if (!TryClaimCloseReason(reason, detail))
        {
            return false;
        }

        _routingStopped = true;
        SignalClosing();
        return true;
    }

    // A token cancelled once a close reason is recorded; the source is made on first use.
    private CancellationToken ClosingToken
    {
        get
        {
            if (Volatile.Read(ref _closing) is { } existing)
            {
                return existing.Token;
            }

            var created = new CancellationTokenSource();
            var closing = Interlocked.CompareExchange(ref _closing, created, null) ?? created;
            // Exchange is a full fence: either a close that came first is seen here, or it sees the source.
            if (_closeReason >= 0)
            {
                closing.Cancel();
            }

            return closing.Token;
        }
    }

    private void SignalClosing() => Volatile.Read(ref _closing)?.Cancel();

    // Records the first reason; the caller stops the routing and signals the close.
    private bool TryClaimCloseReason(DisconnectReason reason, string? detail)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, -1) != -1)
        {
            return false;
        }

        _closeDetail = detail;
        return true;
    }

    // An accepted handshake goes straight to the socket while the session owns its writer.
    private async Task<bool> WriteHandshakeAsync(Admission admission)
    {
        if (await TryWriteHandshakeAsync(admission))
        {
            return true;
        }

        TrySetCloseReason(DisconnectReason.ClientClosed, "gone before the handshake");
        return false;
    }

    private async Task RefuseAsync(Admission admission)
    {
        TrySetCloseReason(DisconnectReason.Refused, admission.Reason);
        Log.HandshakeRefused(_logger, RemoteEndPoint, admission.Refusal, admission.Reason);
        await TryWriteHandshakeAsync(admission);
    }

    // Writes the handshake and flushes it within HandshakeTimeout; false when the client is gone or
    // did not take it in time (then the connection is aborted).
    private async Task<bool> TryWriteHandshakeAsync(Admission admission)
    {
        var output = _connection.Transport.Output;
        var length = FrameWriter.WriteFrame(output, admission.ToHandshake());
        try
        {
            var flush = output.FlushAsync();
            var result = flush.IsCompletedSuccessfully ? flush.Result : await flush.AsTask().WaitAsync(_settings.HandshakeTimeout, _settings.TimeProvider);
            Counters.Sent(1, length);
            return !result.IsCompleted;
        }
        catch (TimeoutException)
        {
            Abort(DisconnectReason.HandshakeTimeout, $"the handshake was not written within {_settings.HandshakeTimeout.TotalSeconds:0.#} s");
            return false;
        }
        catch (Exception exception) when (ConnectionErrors.IsNormalEnd(exception))
        {
            return false;
        }
    }
}
