using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Chat.LoadGen.Links;
using ProtocolViolationException = Chat.Protocol.ProtocolViolationException;

namespace Chat.LoadGen.Echo;

/// <summary>
/// One connection of the echo run: keeps <c>pipeline</c> messages in flight and checks every echo.
/// By default it sends one more for each echo that comes back (a sliding window); in batches, it sends
/// <c>pipeline</c> messages at once and the next batch once all of them are back, as
/// <c>redis-benchmark -P</c> does. Buffers are allocated once; the steady state allocates nothing.
/// </summary>
internal sealed class EchoConnection : IDisposable
{
    private readonly IEchoFormat _template;
    private readonly int _pipeline;
    private readonly bool _inBatches;
    private readonly RunErrors _errors;
    private readonly ClientLink _link;
    private readonly byte[] _send;
    private readonly byte[] _receive;
    private readonly long[] _sentAt;
    private long _id;
    private long _nextSend;
    private long _nextReceive;
    private int _filled;

    public EchoConnection(IEchoFormat template, int pipeline, RunErrors errors, bool useTls = false, TransportKind transport = TransportKind.Tcp, bool inBatches = false)
    {
        _link = ClientLink.Create(transport, useTls);
        _template = template;
        _pipeline = pipeline;
        _inBatches = inBatches;
        _errors = errors;
        var frameLength = template.Frame.Length;
        _send = new byte[frameLength * pipeline];
        for (var slot = 0; slot < pipeline; slot++)
        {
            template.Frame.CopyTo(_send, slot * frameLength);
        }

        _receive = new byte[Math.Max(64 * 1024, 4 * template.MaxReplyLength)];
        _sentAt = new long[pipeline];
    }

    public LatencyHistogram Latencies { get; } = new();

    /// <summary>Echoes received inside the measured window.</summary>
    public long Measured { get; private set; }

    public bool Connected => _id > 0;

    public async Task ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        try
        {
            _id = await _link.ConnectAsync(endPoint, _receive, cancellationToken);
        }
        catch (Exception exception) when (ConnectErrors.IsConnectFailure(exception))
        {
            _errors.Add($"connect: {exception.Message}");
        }
    }

    /// <summary>Sends and checks until the measured window ends, then waits for every outstanding echo.</summary>
    public async Task RunAsync(RunClock clock, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(_pipeline, cancellationToken);
            while (true)
            {
                var read = await _link.ReceiveAsync(_receive.AsMemory(_filled), cancellationToken);
                if (read == 0)
                {
                    _errors.Add($"user {_id}: the server closed the connection with {_nextSend - _nextReceive} echoes outstanding");
                    return;
                }

                _filled += read;
                var now = Stopwatch.GetTimestamp();
                var echoes = Consume(now, clock);
                if (echoes < 0)
                {
                    return;
                }

                if (now < clock.MeasureEnd)
                {
                    var next = _inBatches ? (_nextReceive == _nextSend ? _pipeline : 0) : echoes;
                    if (next > 0)
                    {
                        await SendAsync(next, cancellationToken);
                    }
                }
                else if (_nextReceive == _nextSend)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            _errors.Add($"user {_id}: {_nextSend - _nextReceive} echoes still outstanding at the deadline");
        }
        catch (Exception exception) when (exception is SocketException or IOException or ProtocolViolationException or ObjectDisposedException or WebSocketException)
        {
            _errors.Add($"user {_id}: {exception.Message}");
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose() => _link.Dispose();

    private ValueTask<int> SendAsync(int count, CancellationToken cancellationToken)
    {
        var frameLength = _template.Frame.Length;
        var now = Stopwatch.GetTimestamp();
        for (var slot = 0; slot < count; slot++)
        {
            var sequence = _nextSend++;
            _template.WriteSequence(_send.AsSpan(slot * frameLength, frameLength), sequence);
            _sentAt[sequence % _pipeline] = now;
        }

        return _link.SendAsync(_send.AsMemory(0, count * frameLength), cancellationToken);
    }

    // Checks every whole echo in the receive buffer; returns how many, or -1 after an error.
    private int Consume(long now, RunClock clock)
    {
        var buffer = new ReadOnlySequence<byte>(_receive, 0, _filled);
        var echoes = 0;
        var measured = clock.IsMeasured(now);
        while (_template.TryReadReply(ref buffer, out var reply))
        {
            var problem = _nextReceive >= _nextSend
                ? "an echo arrived for a message never sent"
                : _template.Verify(reply, _id, _nextReceive);
            if (problem is not null)
            {
                _errors.Add($"user {_id}: {problem}");
                return -1;
            }

            if (measured)
            {
                Latencies.Record((long)RunClock.ToNanoseconds(now - _sentAt[_nextReceive % _pipeline]));
                Measured++;
            }

            _nextReceive++;
            echoes++;
        }

        var left = (int)buffer.Length;
        if (left > 0)
        {
            Buffer.BlockCopy(_receive, _filled - left, _receive, 0, left);
        }

        _filled = left;
        return echoes;
    }
}
