using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using Chat.LoadGen.Echo;
using Chat.Protocol;
using ProtocolViolationException = Chat.Protocol.ProtocolViolationException;

namespace Chat.LoadGen.Traffic;

/// <summary>
/// The sending side of one user: keeps <c>pipeline</c> messages in flight to one recipient (a user or
/// everyone), where a message is done only once its echo is back and every user it is for has it. So
/// the load never outruns delivery, even where the server hands messages on without waiting (another
/// node through Redis), and a slot's send time stays valid until the last copy of its message arrives.
/// Whoever completes a message (this user's receive loop for the echo, a recipient's for a delivery)
/// sends the next ones, one sender at a time.
/// </summary>
internal sealed class TrafficSender
{
    private readonly TrafficUser _user;
    private readonly EchoTemplate _template;
    private readonly int _pipeline;
    private readonly int _receiptsPerMessage;
    private int _probesArrived;
    private readonly RunClock _clock;
    private readonly RunErrors _errors;
    private readonly byte[] _send;
    private readonly long[] _sentAt;
    private readonly int[] _remaining;
    private long _nextSend;
    private long _completed;
    private int _pumping;
    private int _again;
    private volatile bool _failed;

    public TrafficSender(TrafficUser user, int index, long target, int size, int pipeline, int recipients, RunClock clock, RunErrors errors)
    {
        ArgumentNullException.ThrowIfNull(user);
        _user = user;
        Index = index;
        _template = new EchoTemplate(size, target);
        _pipeline = pipeline;
        _receiptsPerMessage = recipients + 1;
        _clock = clock;
        _errors = errors;
        _send = new byte[_template.FrameLength * pipeline];
        for (var slot = 0; slot < pipeline; slot++)
        {
            _template.Frame.CopyTo(_send, slot * _template.FrameLength);
        }

        _sentAt = new long[pipeline];
        _remaining = new int[pipeline];
    }

    /// <summary>This sender's place among the run's senders.</summary>
    public int Index { get; }

    public long Id => _user.Id;

    /// <summary>The <c>to</c> of every message: a user's id, or -1 for everyone.</summary>
    public long Target => _template.To;

    public EchoTemplate Template => _template;

    /// <summary>Messages sent so far.</summary>
    public long Sent => Volatile.Read(ref _nextSend);

    /// <summary>Messages whose echo and every delivery have arrived.</summary>
    public long Completed => Volatile.Read(ref _completed);

    /// <summary>The next echo this sender's own receive loop expects.</summary>
    public long NextEcho { get; set; }

    /// <summary>Round trips of the echoes in the measured window.</summary>
    public LatencyHistogram EchoLatencies { get; } = new();

    /// <summary>True once a readiness probe from this sender has reached every user it writes to.</summary>
    public bool ProbeDelivered => Volatile.Read(ref _probesArrived) == _receiptsPerMessage - 1;

    /// <summary>A recipient has had its first readiness probe from this sender.</summary>
    public void ProbeArrived() => Interlocked.Increment(ref _probesArrived);

    /// <summary>When message <paramref name="sequence"/> was sent; valid until its last copy has arrived.</summary>
    public long SentAt(long sequence) => _sentAt[sequence % _pipeline];

    /// <summary>
    /// One copy of message <paramref name="sequence"/> (its echo or one delivery) has arrived; true when
    /// that was its last, and the window has room for another (the caller then asks for a <see cref="RequestPump"/>
    /// once it has handled everything it read, so that one send carries what a whole read made room for).
    /// </summary>
    public bool Receipt(long sequence)
    {
        if (Interlocked.Decrement(ref _remaining[sequence % _pipeline]) != 0)
        {
            return false;
        }

        // Copies arrive in order at every user, so messages complete in order too.
        Interlocked.Increment(ref _completed);
        return true;
    }

    /// <summary>Sends what the window allows now, unless another thread is already doing so (then it sends again after).</summary>
    public void RequestPump()
    {
        Volatile.Write(ref _again, 1);
        if (!_failed && Interlocked.CompareExchange(ref _pumping, 1, 0) == 0)
        {
            _ = PumpAsync();
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                Volatile.Write(ref _again, 0);
                var now = Stopwatch.GetTimestamp();
                var count = (int)Math.Min(_pipeline, Completed + _pipeline - _nextSend);
                if (count > 0 && now < _clock.MeasureEnd)
                {
                    await _user.Link.SendAsync(Fill(count, now), CancellationToken.None);
                    continue;
                }

                Volatile.Write(ref _pumping, 0);
                if (Volatile.Read(ref _again) == 0 || Interlocked.CompareExchange(ref _pumping, 1, 0) != 0)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException or WebSocketException or ProtocolViolationException or InvalidOperationException)
        {
            _failed = true;
            if (!_user.Finishing)
            {
                _errors.Add($"user {Id}: sending failed: {exception.Message}");
            }
        }
    }

    private ReadOnlyMemory<byte> Fill(int count, long now)
    {
        var frameLength = _template.FrameLength;
        for (var index = 0; index < count; index++)
        {
            var sequence = _nextSend;
            var slot = (int)(sequence % _pipeline);
            _template.WriteSequence(_send.AsSpan(index * frameLength, frameLength), sequence);
            _sentAt[slot] = now;
            Volatile.Write(ref _remaining[slot], _receiptsPerMessage);
            Volatile.Write(ref _nextSend, sequence + 1);
        }

        return _send.AsMemory(0, count * frameLength);
    }

    /// <summary>One readiness probe (see <see cref="TrafficUser"/>), to the target or to this user itself.</summary>
    public ValueTask<int> SendProbeAsync(bool toSelf, CancellationToken cancellationToken) =>
        _user.Link.SendAsync(FrameWriter.ToFrame(new ChatMessage { To = toSelf ? Id : Target, Msg = TrafficUser.ProbeText }), cancellationToken);
}
