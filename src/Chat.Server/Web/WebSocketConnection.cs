using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Chat.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Chat.Server.Web;

/// <summary>
/// A WebSocket presented as the connection a <see cref="Sessions.ChatSession"/> runs over
/// (PROTOCOL.md, "WebSocket"): each message received becomes one length-delimited frame on
/// <see cref="ConnectionContext.Transport"/>'s input, and each frame the session writes leaves as one
/// message. The session cannot tell it from a socket, so its rules and limits hold unchanged.
/// </summary>
internal sealed partial class WebSocketConnection : ConnectionContext, IConnectionLifetimeNotificationFeature
{
    // As Kestrel's socket transport does: the session's writes wait once 64 KiB are not yet sent, so a
    // client that stops reading fills the session's bounded queue and is cut off as a slow consumer.
    // Inline, as the chat port's sockets are (Chat:InlineIo): a batch received is routed, and what
    // the session wrote is sent, on the thread that got it, without a hop through the thread pool
    // each way (about 1.5x the messages/s at C = 100, P = 16 in docs/BENCHMARKS.md). Nothing on
    // either side blocks.
    private static readonly PipeOptions PipeOptions = new(
        readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false);

    private readonly WebSocket _socket;
    // The stream under the socket, when the send loop can batch its writes; null when it cannot.
    private readonly WriteBatchingStream? _batching;
    private readonly WebSocketFormat _format;
    private readonly int _maxMessageLength;
    private readonly Pipe _input = new(PipeOptions);
    private readonly Pipe _output = new(PipeOptions);
    private readonly CancellationTokenSource _closeRequested = new();
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;

    public WebSocketConnection(WebSocket socket, WriteBatchingStream? batching, WebSocketFormat format, int maxMessageLength, string connectionId, EndPoint? remoteEndPoint, EndPoint? localEndPoint)
    {
        _socket = socket;
        _batching = batching;
        _format = format;
        _maxMessageLength = maxMessageLength;
        ConnectionId = connectionId;
        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = localEndPoint;
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        ConnectionClosedRequested = _closeRequested.Token;
        Features.Set<IConnectionLifetimeNotificationFeature>(this);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public override EndPoint? LocalEndPoint { get; set; }

    public CancellationToken ConnectionClosedRequested { get; set; }

    /// <summary>Why the client's input was refused, when it was: set by the receive loop before it ends the input.</summary>
    public WebSocketCloseStatus? Violation { get; private set; }

    /// <summary>What was wrong with the client's input, for the close frame's reason.</summary>
    public string? ViolationReason { get; private set; }

    /// <summary>The refusal the handshake carried, read by the send loop from the first frame.</summary>
    public Refusal Refusal { get; private set; }

    /// <summary>Starts moving messages both ways; call once, before the session runs.</summary>
    public void Start()
    {
        _receiving = ReceiveLoopAsync();
        _sending = SendLoopAsync();
    }

    /// <summary>Asks the session to close, as Kestrel does when the host stops.</summary>
    public void RequestClose() => _closeRequested.Cancel();

    /// <summary>Ends at once: the pending receive and send fail, and the loops end the pipes.</summary>
    public override void Abort(ConnectionAbortedException abortReason) => _socket.Abort();

    /// <summary>
    /// After the session has ended for <paramref name="reason"/>: sends what it wrote, then the close
    /// status that says why, and waits (bounded) for the client's reply. A client that does not take
    /// it in time is cut off.
    /// </summary>
    public async Task CloseAsync(Sessions.DisconnectReason? reason, TimeSpan timeout, TimeProvider timeProvider)
    {
        await _output.Writer.CompleteAsync();
        try
        {
            // Only once everything is sent has the send loop seen the handshake and its refusal.
            await _sending.WaitAsync(timeout, timeProvider);
            var status = Violation ?? WebSocketCloseCodes.For(reason, Refusal);
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var deadline = new CancellationTokenSource(timeout, timeProvider);
                await _socket.CloseOutputAsync(status, CloseReason.For(ViolationReason), deadline.Token);
                await _receiving.WaitAsync(timeout, timeProvider);
                if (Violation is not null)
                {
                    await DiscardUntilClosedAsync(deadline.Token);
                }
            }
        }
        catch (Exception exception) when (exception is TimeoutException or WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    // The receive loop stopped at the violation, maybe in the middle of a big message. Closing the
    // socket with the rest of it unread would make the kernel answer with a reset, and a browser
    // that gets a reset drops the close frame it was sent (it reports 1006, not why). So the rest
    // is read and thrown away until the client's own close frame arrives, within the close timeout.
    private async Task DiscardUntilClosedAsync(CancellationToken cancellationToken)
    {
        var discard = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(discard.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(discard);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receiving;
        await _sending;
        await _input.Reader.CompleteAsync();
        await _output.Writer.CompleteAsync();
        _closeRequested.Dispose();
        await base.DisposeAsync();
    }
}
