using System.Buffers;
using Chat.Cluster.Redis;
using Chat.Protocol;
using Chat.Server.Sessions;

namespace Chat.Server.Routing;

/// <summary>
/// Echo, direct delivery, broadcast and the unknown-recipient notice (PROTOCOL.md, "Conversation" 3).
/// Deliveries to others are queued before the sender's echo, so an echo proves every copy is on its way.
/// In cluster mode what leaves the node is handed to the remote port in the same pass, after the
/// local deliveries and before the echo (PROTOCOL.md, "Cluster mode"); local delivery never waits on it.
/// </summary>
internal sealed class MessageRouter
{
    /// <summary>The <c>to</c> that addresses every connected user.</summary>
    public const long Everyone = -1;

    private readonly ConnectionRegistry _registry;
    private readonly IRemoteDelivery? _remote;

    public MessageRouter(ConnectionRegistry registry, IRemoteDelivery? remote = null)
    {
        _registry = registry;
        _remote = remote;
    }

    /// <summary>
    /// Stamps <paramref name="body"/> with the sender's id and queues it: to the recipients first,
    /// then the echo. The stamped frame is built once, in a pooled buffer, and copied into each
    /// recipient's queue, so a plain message allocates nothing on its way.
    /// </summary>
    /// <exception cref="ProtocolViolationException">The body is not a valid ChatMessage.</exception>
    public void Route(ChatSession sender, in ReadOnlySequence<byte> body)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChatMessageStamper.MaxStampedFrameLength((int)body.Length));
        byte[]? joined = null;
        try
        {
            // A body split across the transport's buffers is joined first, so it takes the fast path too.
            var span = body.IsSingleSegment ? body.FirstSpan : Join(body, joined = ArrayPool<byte>.Shared.Rent((int)body.Length));
            if (!ChatMessageStamper.TryStamp(span, sender.Id, buffer, out var length, out var to))
            {
                // Anything but the plain case goes through the generated parser, which also judges it.
                var message = MessageDecoder.Parse(ChatMessage.Parser, body);
                message.From = sender.Id;
                to = message.To;
                length = FrameWriter.WriteFrame(buffer, message);
            }

            Dispatch(sender, buffer.AsSpan(0, length), to);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (joined is not null)
            {
                ArrayPool<byte>.Shared.Return(joined);
            }
        }
    }

    private static ReadOnlySpan<byte> Join(in ReadOnlySequence<byte> body, byte[] destination)
    {
        body.CopyTo(destination);
        return destination.AsSpan(0, (int)body.Length);
    }

    private void Dispatch(ChatSession sender, ReadOnlySpan<byte> frame, long to)
    {
        string? notice = null;
        if (to == Everyone)
        {
            var copies = 0;
            foreach (var user in _registry.Sessions)
            {
                if (user != sender && user.Deliver(frame))
                {
                    copies++;
                }
            }

            sender.Counters.Delivered(copies);
            if (_remote?.SendBroadcast(sender.Id, frame) == RemoteSend.Unreachable)
            {
                notice = "your message could not reach the users on other nodes (the cluster link is down)";
            }
        }
        else if (to > 0 && to != sender.Id)
        {
            if (!_registry.TryGet(to, out var recipient))
            {
                notice = (_remote?.SendDirect(sender.Id, to, frame) ?? RemoteSend.NotFound) switch
                {
                    RemoteSend.Sent => null,
                    RemoteSend.Unreachable => $"user {to} could not be reached (the cluster link is down)",
                    _ => $"user {to} is not connected",
                };
            }
            else if (recipient.Deliver(frame))
            {
                sender.Counters.Delivered(1);
            }
        }
        else if (to < Everyone)
        {
            notice = $"there is no user {to}";
        }

        // The echo comes after every delivery, and the notice about a missing recipient after the echo.
        sender.Deliver(frame);
        if (notice is not null)
        {
            sender.Deliver(ServerNotices.Frame(sender.Id, notice));
        }
    }

    /// <summary>Sends a notice from 0 to every connected user; returns how many it reached.</summary>
    public int Announce(string text)
    {
        var reached = 0;
        foreach (var user in _registry.Sessions)
        {
            if (user.Deliver(ServerNotices.Frame(user.Id, text)))
            {
                reached++;
            }
        }

        return reached;
    }
}
