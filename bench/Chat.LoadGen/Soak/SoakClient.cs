using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Chat.Protocol;
using ProtocolViolationException = Chat.Protocol.ProtocolViolationException;

namespace Chat.LoadGen.Soak;

/// <summary>
/// One soak client, from connect to gone: it reads every frame as it comes (one receive loop, from the
/// handshake on, so the server never has to slow or drop it) and checks each; it sends on its own
/// schedule until its time is up, then leaves: it stops sending, sends itself one last message and waits
/// for its echo (after which everything it is owed has arrived), half-closes, and reads until the server
/// has closed its side.
/// </summary>
internal sealed partial class SoakClient
{
    // Longest frame the server may send: the limit a client may send plus the stamped from (PROTOCOL.md, framing).
    private const int MaxFrameBody = 65_536 + 16;

    // Bounds on the leave: the last echo, then the server's close. Only a broken server takes this long.
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(30);

    private readonly SoakRoster _roster;
    private readonly Socket _socket = Handshakes.CreateSocket();
    // Soak frames are a few dozen bytes: start small and grow only for a frame that does not fit,
    // since a thousand clients and their replacements would otherwise hold and churn 128 KiB each.
    private const int InitialReceiveBuffer = 4096;
    private readonly TaskCompletionSource _lastEcho = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _receive = new byte[InitialReceiveBuffer];
    private int _filled;
    private long _id;
    private SentLog? _log;
    private ReceiverCheck? _check;
    private long _lastSequence = -1;
    private volatile bool _leaving;
    private string? _lastNotice;

    public SoakClient(SoakRoster roster) => _roster = roster;

    /// <summary>Connects and reads the handshake; false (after recording why) when there is no accepted one.</summary>
    public async Task<bool> JoinAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        _roster.Bounds.Connecting();
        try
        {
            await _socket.ConnectAsync(endPoint, cancellationToken);
            var handshake = await ReadHandshakeAsync(cancellationToken);
            if (handshake.Error || handshake.Id <= 0)
            {
                throw new HandshakeException($"refused: {handshake.Reason} ({handshake.Refusal})");
            }

            _id = handshake.Id;
        }
        catch (Exception exception) when (exception is SocketException or HandshakeException or OperationCanceledException or ProtocolViolationException)
        {
            _roster.Violation($"join: {exception.Message}");
            _socket.Dispose();
            _roster.Bounds.NeverJoined();
            return false;
        }

        _log = new SentLog(_id, _roster.Clock);
        _check = new ReceiverCheck(_id, _roster.Clock.Next());
        _roster.Bounds.Joined();
        _roster.Add(_log);
        _roster.Totals.Joined();
        return true;
    }

    /// <summary>Reads and sends until <paramref name="leaveAt"/> (a <see cref="Stopwatch"/> timestamp), then leaves.</summary>
    public async Task RunAsync(long leaveAt, double messagesPerSecond, MessageMix mix, CancellationToken cancellationToken)
    {
        var receiving = ReceiveAsync(cancellationToken);
        try
        {
            await SendUntilAsync(leaveAt, messagesPerSecond, mix, cancellationToken);
            await LeaveAsync(receiving, cancellationToken);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (!receiving.IsCompleted)
            {
                _roster.Violation($"user {_id}: sending failed: {exception.Message}");
            }
        }
        finally
        {
            StartLeaving();
            _socket.Dispose();
            await receiving;
            _roster.Bounds.Gone();
            _roster.Gone(_id);
            _roster.Totals.Left();
            foreach (var missing in _check!.Missing(_roster.Logs()))
            {
                _roster.Violation(missing);
            }
        }
    }

    private async Task SendUntilAsync(long leaveAt, double messagesPerSecond, MessageMix mix, CancellationToken cancellationToken)
    {
        var meanTicks = Stopwatch.Frequency / messagesPerSecond;
        var due = Stopwatch.GetTimestamp();
        while (!_leaving)
        {
            // A steady random rate: exponential gaps, on a schedule that does not drift when a send is late.
            due += (long)(-Math.Log(1 - Random.Shared.NextDouble()) * meanTicks);
            if (due >= leaveAt)
            {
                await RunClock.DelayUntilAsync(leaveAt, cancellationToken);
                return;
            }

            await RunClock.DelayUntilAsync(due, cancellationToken);
            _roster.Totals.SendLag(Stopwatch.GetTimestamp() - due);
            var target = mix.Pick(Random.Shared.NextDouble()) switch
            {
                MessageMix.Kind.Direct => _roster.PickOther(_id) ?? _id,
                MessageMix.Kind.Broadcast => SentLog.Everyone,
                _ => _id,
            };
            await SendAsync(target, cancellationToken);
        }
    }

    private async Task LeaveAsync(Task receiving, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        StartLeaving();
        // The last message goes to ourselves: its echo is queued behind every delivery owed to us.
        var last = _log!.Record(_id);
        Volatile.Write(ref _lastSequence, last);
        await SendFrameAsync(last, _id, cancellationToken);
        if (await Task.WhenAny(_lastEcho.Task, receiving, Task.Delay(LeaveTimeout, cancellationToken)) != _lastEcho.Task)
        {
            if (!receiving.IsCompleted)
            {
                _roster.Violation($"user {_id}: {_log.Outstanding} echoes still missing {LeaveTimeout.TotalSeconds} s after it began to leave");
            }

            return;
        }

        _socket.Shutdown(SocketShutdown.Send);
        if (await Task.WhenAny(receiving, Task.Delay(LeaveTimeout, cancellationToken)) != receiving)
        {
            _roster.Violation($"user {_id}: the server did not close the connection within {LeaveTimeout.TotalSeconds} s of the client's");
        }

        _roster.Totals.LeaveTook(Stopwatch.GetTimestamp() - started);
    }

    private void StartLeaving()
    {
        if (_leaving)
        {
            return;
        }

        _leaving = true;
        _roster.Remove(_id);
        _check!.BeginLeaving(_roster.Clock);
        _roster.Bounds.Leaving();
    }

    private ValueTask SendAsync(long target, CancellationToken cancellationToken)
    {
        var sequence = _log!.Record(target);
        return SendFrameAsync(sequence, target, cancellationToken);
    }

    private async ValueTask SendFrameAsync(long sequence, long target, CancellationToken cancellationToken)
    {
        var frame = FrameWriter.ToFrame(new ChatMessage { To = target, Msg = SoakText.Format(_id, sequence) });
        _roster.Totals.Sent();
        await _socket.SendAsync(frame, SocketFlags.None, cancellationToken);
    }
}
