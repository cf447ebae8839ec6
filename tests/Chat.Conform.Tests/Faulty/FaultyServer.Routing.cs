using System.Buffers;
using System.Net.Sockets;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.Conform.Tests.Faulty;

// Reading frames and routing them: echo, direct, broadcast, notices (PROTOCOL.md §4), with the fault's twist.
public sealed partial class FaultyServer
{
    private async Task ReadLoopAsync(FaultySession session)
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        var token = _stopping.Token;
        while (true)
        {
            if (end == buffer.Length)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                (end, start) = (end - start, 0);
                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }

            var read = await session.Socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, token);
            if (read == 0)
            {
                return;
            }

            end += read;
            var bodies = new List<byte[]>();
            try
            {
                while (FaultyFrameReader.TryRead(buffer.AsSpan(start, end - start), _fault, MaxBodyLength) is var (bodyStart, bodyLength))
                {
                    bodies.Add(buffer.AsSpan(start + bodyStart, bodyLength).ToArray());
                    start += bodyStart + bodyLength;
                    if (_fault == Fault.OneFramePerRead)
                    {
                        // As a server that parses one frame per recv() and drops the rest of what it read.
                        start = end;
                        break;
                    }
                }

                await RouteAsync(session, bodies, token);
            }
            catch (ProtocolViolationException violation)
            {
                Violate(session, violation.Message);
                return;
            }

            if (start == end)
            {
                (start, end) = (0, 0);
            }

            if (_fault != Fault.DropsFastSender)
            {
                await session.WaitWhileBackedUpAsync(token);
            }
        }
    }

    private void Violate(FaultySession session, string reason)
    {
        if (_fault == Fault.CrashesOnBadInput)
        {
            // As a server whose unhandled exception takes the whole process down.
            _listener.Dispose();
            lock (_gate)
            {
                foreach (var user in _users.Values)
                {
                    user.Abort();
                }
            }

            return;
        }

        session.Enqueue(Frame(new ChatMessage { To = session.Id, Msg = $"protocol violation: {reason}" }), unbounded: true);
        session.Complete();
    }

    private async Task RouteAsync(FaultySession sender, List<byte[]> bodies, CancellationToken cancellationToken)
    {
        var routed = new List<(List<FaultySession> Copies, byte[] Frame, byte[]? Notice)>();
        foreach (var body in bodies)
        {
            if (Parse(body) is { } message)
            {
                routed.Add(Plan(sender, message));
            }
        }

        switch (_fault)
        {
            case Fault.ReordersEchoes:
                routed.ForEach(route => DeliverCopies(route.Copies, route.Frame));
                routed.AsEnumerable().Reverse().ToList().ForEach(route => Echo(sender, route.Frame, route.Notice));
                break;
            case Fault.ReordersDeliveries:
                routed.AsEnumerable().Reverse().ToList().ForEach(route => DeliverCopies(route.Copies, route.Frame));
                routed.ForEach(route => Echo(sender, route.Frame, route.Notice));
                break;
            case Fault.EchoBeforeDelivery:
                routed.ForEach(route => Echo(sender, route.Frame, route.Notice));
                _ = DeliverLaterAsync(routed.Select(route => (route.Copies, route.Frame)).ToList());
                break;
            case Fault.BlocksOnSlowReader:
                foreach (var (copies, frame, notice) in routed)
                {
                    foreach (var copy in copies)
                    {
                        await WriteOrDropAsync(copy, frame, cancellationToken);
                    }

                    Echo(sender, frame, notice);
                }

                break;
            default:
                foreach (var (copies, frame, notice) in routed)
                {
                    DeliverCopies(copies, frame);
                    Echo(sender, frame, notice);
                }

                break;
        }
    }

    // The message, or null when this server's fault lets a bad body pass; a violation otherwise.
    private ChatMessage? Parse(byte[] body)
    {
        try
        {
            if (_fault == Fault.RejectsUnknownFields && HasUnknownFields(body))
            {
                throw new ProtocolViolationException("unknown field");
            }

            return MessageDecoder.Parse(ChatMessage.Parser, new ReadOnlySequence<byte>(body));
        }
        catch (ProtocolViolationException) when (_fault == Fault.IgnoresBadBody)
        {
            return null;
        }
        catch (ProtocolViolationException violation) when (_fault == Fault.AcceptsInvalidUtf8 && violation.Message.Contains("UTF-8", StringComparison.Ordinal))
        {
            return null;
        }
    }

    private (List<FaultySession> Copies, byte[] Frame, byte[]? Notice) Plan(FaultySession sender, ChatMessage message)
    {
        var stamped = message.Clone();
        stamped.From = _fault == Fault.TrustsClientFrom && message.From != 0 ? message.From : sender.Id;
        var copies = new List<FaultySession>();
        string? notice = null;
        lock (_gate)
        {
            if (message.To == -1)
            {
                copies.AddRange(_users.Values.Where(user => user != sender || _fault == Fault.BroadcastToSenderToo));
            }
            else if (message.To > 0 && message.To != sender.Id)
            {
                if (!_users.TryGetValue(message.To, out var recipient))
                {
                    notice = $"user {message.To} is not connected";
                }
                else if (_fault != Fault.NoDelivery)
                {
                    copies.Add(recipient);
                }
            }
            else if (message.To == sender.Id && _fault == Fault.EchoTwiceToSelf)
            {
                copies.Add(sender);
            }
            else if (message.To < -1)
            {
                notice = $"there is no user {message.To}";
            }
        }

        var noticeFrame = notice is null || _fault == Fault.NoUnknownRecipientNotice
            ? null
            : Frame(new ChatMessage { To = sender.Id, Msg = notice });
        return (copies, Frame(stamped), noticeFrame);
    }

    private void DeliverCopies(List<FaultySession> copies, byte[] frame)
    {
        foreach (var copy in copies)
        {
            copy.Enqueue(frame, unbounded: _fault == Fault.UnboundedQueue);
        }
    }

    private void Echo(FaultySession sender, byte[] frame, byte[]? notice)
    {
        if (_fault != Fault.NoEcho)
        {
            sender.Enqueue(frame, unbounded: _fault != Fault.DropsFastSender);
        }

        if (notice is not null)
        {
            sender.Enqueue(notice, unbounded: true);
        }
    }

    private async Task DeliverLaterAsync(List<(List<FaultySession> Copies, byte[] Frame)> routes)
    {
        await Task.Delay(EchoFirstDelay);
        routes.ForEach(route => DeliverCopies(route.Copies, route.Frame));
    }

    private static async Task WriteOrDropAsync(FaultySession recipient, byte[] frame, CancellationToken cancellationToken)
    {
        try
        {
            await recipient.WriteNowAsync(frame, cancellationToken);
        }
        catch (SocketException)
        {
            // The recipient is gone; the sender carries on.
        }
    }

    private static bool HasUnknownFields(byte[] body)
    {
        try
        {
            var input = new CodedInputStream(body);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) > 3)
                {
                    return true;
                }

                input.SkipLastField();
            }
        }
        catch (InvalidProtocolBufferException)
        {
            // Not even well-formed: the parser will say so.
        }

        return false;
    }
}
