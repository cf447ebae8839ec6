using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Chat.LoadGen.Echo;
using Chat.LoadGen.Links;
using Chat.Protocol;
using ProtocolViolationException = Chat.Protocol.ProtocolViolationException;

namespace Chat.LoadGen.Traffic;

/// <summary>
/// One user of a direct or fan-out run: reads every frame as it comes and checks it. Its own echoes
/// come back in order with <c>to</c> as sent; from every sender that writes to it (directly, or to
/// everyone) the sequence numbers arrive one after another with none lost, doubled or reordered, with
/// <c>to</c> = its id (or -1 for a broadcast). Every copy that arrives is handed to its sender's
/// window. Readiness probes (<c>msg</c> = <see cref="ProbeText"/>) are told apart by their text and
/// never counted; server notices are allowed only until this user's probes are done.
/// </summary>
internal sealed class TrafficUser : IDisposable
{
    public const string ProbeText = "probe";

    private static readonly byte[] ProbeBytes = Encoding.ASCII.GetBytes(ProbeText);

    private readonly RunErrors _errors;
    private readonly byte[] _receive;
    private readonly TaskCompletionSource _probesDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Senders with room in their window after the frames of one read: asked to send once the read is handled.
    private readonly List<TrafficSender> _toPump = [];
    private int _filled;
    private IReadOnlyDictionary<long, TrafficSender> _senders = new Dictionary<long, TrafficSender>();
    private long[] _expected = [];
    private bool[] _probed = [];
    private RunClock? _clock;
    private volatile bool _noticesAllowed = true;

    public TrafficUser(int index, TransportKind transport, RunErrors errors, int receiveBuffer)
    {
        Index = index;
        Link = ClientLink.Create(transport);
        _errors = errors;
        _receive = new byte[receiveBuffer];
    }

    public int Index { get; }

    public long Id { get; private set; }

    public ClientLink Link { get; }

    /// <summary>What this user sends, when it sends.</summary>
    public TrafficSender? Sender { get; set; }

    /// <summary>Deliveries (not echoes) that arrived in the measured window.</summary>
    public long Measured { get; private set; }

    /// <summary>From send to arrival of every delivery in the measured window.</summary>
    public LatencyHistogram Latencies { get; } = new();

    /// <summary>Notices the server sent while probes were still going (a recipient not yet known to every node).</summary>
    public int ProbeNotices { get; private set; }

    /// <summary>Set once the run is over: closing the connections is then no error.</summary>
    public bool Finishing { get; set; }

    public bool Connected => Id > 0;

    public async Task ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        try
        {
            Id = await Link.ConnectAsync(endPoint, _receive, cancellationToken);
        }
        catch (Exception exception) when (ConnectErrors.IsConnectFailure(exception))
        {
            _errors.Add($"connect: {exception.Message}");
        }
    }

    /// <summary>Who may write to this user: every sender of the run by id, each with its index.</summary>
    public void Expect(IReadOnlyDictionary<long, TrafficSender> senders, int senderCount, RunClock clock)
    {
        _senders = senders;
        _expected = new long[senderCount];
        _probed = new bool[senderCount];
        _clock = clock;
    }

    /// <summary>
    /// Makes sure this user's recipients are known where it will send: sends probes until one has reached
    /// each of them (a node that does not know a recipient yet answers with a notice instead; a node not
    /// yet known to the sender's misses a broadcast), then one probe to itself, whose echo comes after any
    /// notice the earlier ones caused.
    /// </summary>
    public async Task ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sender = Sender ?? throw new InvalidOperationException("only a sender probes");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (!sender.ProbeDelivered)
            {
                await sender.SendProbeAsync(toSelf: false, deadline.Token);
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }

            await sender.SendProbeAsync(toSelf: true, deadline.Token);
            await _probesDone.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _errors.Add($"user {Id}: {(sender.Target == -1 ? "its broadcasts did not reach every user" : $"its recipient {sender.Target} was not reachable")} within {timeout.TotalSeconds} s");
        }
    }

    /// <summary>No probes here: notices are errors from now on.</summary>
    public void NoProbes() => _noticesAllowed = false;

    /// <summary>How many of <paramref name="sender"/>'s messages this user has had.</summary>
    public long ReceivedFrom(TrafficSender sender) => Volatile.Read(ref _expected[sender.Index]);

    /// <summary>Reads and checks until the server closes, the run is over, or a frame is wrong.</summary>
    public async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var read = await Link.ReceiveAsync(_receive.AsMemory(_filled), cancellationToken);
                if (read == 0)
                {
                    if (!Finishing)
                    {
                        _errors.Add($"user {Id}: the server closed the connection");
                    }

                    return;
                }

                _filled += read;
                if (!Consume(Stopwatch.GetTimestamp()))
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException or WebSocketException or ProtocolViolationException or OperationCanceledException)
        {
            if (!Finishing)
            {
                _errors.Add($"user {Id}: receiving failed: {exception.Message}");
            }
        }
    }

    public void Dispose() => Link.Dispose();

    // Checks every whole frame in the buffer; false after an error.
    private bool Consume(long now)
    {
        var buffer = new ReadOnlySequence<byte>(_receive, 0, _filled);
        var measured = _clock!.IsMeasured(now);
        while (FrameReader.TryReadFrame(ref buffer, _receive.Length - FrameLimits.MaxPrefixLength, out var body))
        {
            var problem = Check(body.FirstSpan, now, measured);
            if (problem is not null)
            {
                _errors.Add($"user {Id}: {problem}");
                return false;
            }
        }

        var left = (int)buffer.Length;
        if (left > 0)
        {
            Buffer.BlockCopy(_receive, _filled - left, _receive, 0, left);
        }

        _filled = left;
        foreach (var sender in _toPump)
        {
            sender.RequestPump();
        }

        _toPump.Clear();
        return true;
    }

    private void Completed(TrafficSender sender)
    {
        if (!_toPump.Contains(sender))
        {
            _toPump.Add(sender);
        }
    }

    private string? Check(ReadOnlySpan<byte> body, long now, bool measured)
    {
        var problem = EchoTemplate.ReadFields(body, out var from, out var to, out var message);
        if (problem is not null)
        {
            return problem;
        }

        if (from == 0)
        {
            if (_noticesAllowed)
            {
                ProbeNotices++;
                return null;
            }

            return $"a server notice: {Encoding.UTF8.GetString(message)}";
        }

        if (message.SequenceEqual(ProbeBytes))
        {
            return Probe(from, to);
        }

        if (from == Id)
        {
            return Echo(to, message, now, measured);
        }

        if (!_senders.TryGetValue(from, out var sender))
        {
            return $"a message from user {from}, who sends nothing in this run";
        }

        var expectedTo = sender.Target == -1 ? -1 : Id;
        if (to != expectedTo || sender.Target != expectedTo)
        {
            return $"a message from {from} with to = {to}, for {(sender.Target == -1 ? "everyone" : $"user {sender.Target}")}";
        }

        problem = sender.Template.ReadSequence(message, out var sequence);
        if (problem is not null)
        {
            return $"from {from}: {problem}";
        }

        var expected = _expected[sender.Index];
        if (sequence != expected)
        {
            return sequence > expected
                ? $"message {expected} from {from} lost: got {sequence}"
                : $"message {sequence} from {from} duplicated or reordered: expected {expected}";
        }

        if (sequence >= sender.Sent)
        {
            return $"message {sequence} from {from} was never sent";
        }

        Volatile.Write(ref _expected[sender.Index], expected + 1);
        if (measured)
        {
            Latencies.Record((long)RunClock.ToNanoseconds(now - sender.SentAt(sequence)));
            Measured++;
        }

        if (sender.Receipt(sequence))
        {
            Completed(sender);
        }

        return null;
    }

    private string? Echo(long to, ReadOnlySpan<byte> message, long now, bool measured)
    {
        if (Sender is not { } sender)
        {
            return "an echo, though this user sends nothing";
        }

        if (to != sender.Target)
        {
            return $"echo has to = {to}, sent {sender.Target}";
        }

        var problem = sender.Template.ReadSequence(message, out var sequence);
        if (problem is not null)
        {
            return $"echo: {problem}";
        }

        if (sequence != sender.NextEcho)
        {
            return sequence > sender.NextEcho
                ? $"echo {sender.NextEcho} lost: got {sequence}"
                : $"echo {sequence} duplicated or reordered: expected {sender.NextEcho}";
        }

        sender.NextEcho++;
        if (measured)
        {
            sender.EchoLatencies.Record((long)RunClock.ToNanoseconds(now - sender.SentAt(sequence)));
        }

        if (sender.Receipt(sequence))
        {
            Completed(sender);
        }

        return null;
    }

    private string? Probe(long from, long to)
    {
        if (from == Id)
        {
            // The probe to itself is the last: every notice for the earlier ones came before its echo.
            if (to == Id)
            {
                _noticesAllowed = false;
                _probesDone.TrySetResult();
            }

            return null;
        }

        if (!_senders.TryGetValue(from, out var sender) || (sender.Target != Id && sender.Target != -1) || to != sender.Target)
        {
            return $"a probe from user {from} to {to}, who does not write to this user";
        }

        if (!_probed[sender.Index])
        {
            _probed[sender.Index] = true;
            sender.ProbeArrived();
        }

        return null;
    }
}
