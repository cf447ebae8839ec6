using System.Buffers;
using System.Net.Sockets;
using Chat.Protocol;
using ProtocolViolationException = Chat.Protocol.ProtocolViolationException;

namespace Chat.LoadGen.Soak;

/// <summary>The receiving half of a soak client: the handshake, then every frame checked as it comes.</summary>
internal sealed partial class SoakClient
{
    // Reads until the server closes, checking every frame; ends quietly once the client is leaving.
    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                // Frames that came with the handshake are checked first.
                Consume();
                var read = await _socket.ReceiveAsync(_receive.AsMemory(_filled), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    if (!_leaving)
                    {
                        _roster.Violation($"user {_id}: the server closed the connection (last notice: {_lastNotice ?? "none"})");
                    }

                    return;
                }

                _filled += read;
                GrowIfFull();
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException or ProtocolViolationException)
        {
            if (!_leaving)
            {
                _roster.Violation($"user {_id}: receiving failed: {exception.Message}");
            }
        }
        finally
        {
            _lastEcho.TrySetResult();
        }
    }

    // Checks every whole frame in the buffer and keeps the partial one.
    private void Consume()
    {
        var buffer = new ReadOnlySequence<byte>(_receive, 0, _filled);
        while (FrameReader.TryReadFrame(ref buffer, MaxFrameBody, out var body))
        {
            var problem = Check(MessageDecoder.Parse(ChatMessage.Parser, body));
            if (problem is not null)
            {
                _roster.Violation(problem);
            }
        }

        var left = (int)buffer.Length;
        if (left > 0)
        {
            Buffer.BlockCopy(_receive, _filled - left, _receive, 0, left);
        }

        _filled = left;
    }

    // A full buffer after Consume holds one partial frame longer than the buffer: make room for it.
    // FrameReader has already refused a frame over the limit, so this stops at twice the largest frame.
    private void GrowIfFull()
    {
        if (_filled == _receive.Length)
        {
            Consume();
            if (_filled == _receive.Length)
            {
                Array.Resize(ref _receive, Math.Min(2 * _receive.Length, 2 * MaxFrameBody));
            }
        }
    }

    private string? Check(ChatMessage message)
    {
        if (message.From == 0)
        {
            // Notices (an unknown recipient that left meanwhile) are expected.
            _roster.Totals.Noticed();
            _lastNotice = message.Msg;
            return null;
        }

        if (!SoakText.TryParse(message.Msg, out var sender, out var sequence) || sender != message.From)
        {
            return $"user {_id}: a frame from {message.From} carries msg \"{message.Msg}\", not one the soak sent from that user";
        }

        if (message.From == _id)
        {
            var problem = _log!.OnEcho(sequence, message.To);
            if (sequence == Volatile.Read(ref _lastSequence))
            {
                _lastEcho.TrySetResult();
            }

            return problem;
        }

        _roster.Totals.Delivered();
        return _roster.LogOf(message.From) is { } log
            ? _check!.OnDelivery(log, sequence, message.To)
            : $"user {_id}: a message from {message.From}, which is no soak client";
    }

    private async Task<Handshake> ReadHandshakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await _socket.ReceiveAsync(_receive.AsMemory(_filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new HandshakeException("the server closed the connection before its handshake");
            }

            _filled += read;
            var buffer = new ReadOnlySequence<byte>(_receive, 0, _filled);
            if (FrameReader.TryReadFrame(ref buffer, Handshakes.BufferSize, out var body))
            {
                var handshake = MessageDecoder.Parse(Handshake.Parser, body);
                // Whatever followed the handshake in the same read is the receive loop's first frames.
                var left = (int)buffer.Length;
                Buffer.BlockCopy(_receive, _filled - left, _receive, 0, left);
                _filled = left;
                return handshake;
            }
        }
    }
}
