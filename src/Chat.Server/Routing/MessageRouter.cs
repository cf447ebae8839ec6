using Chat.Protocol;
using Chat.Server.Sessions;

namespace Chat.Server.Routing;

/// <summary>
/// Echo, direct delivery, broadcast and the unknown-recipient notice (PROTOCOL.md, "Conversation" 3).
/// Deliveries to others are queued before the sender's echo, so an echo proves every copy is on its way.
/// </summary>
internal sealed class MessageRouter
{
    /// <summary>The <c>to</c> that addresses every connected user.</summary>
    public const long Everyone = -1;

    private readonly ConnectionRegistry _registry;

    public MessageRouter(ConnectionRegistry registry) => _registry = registry;

    public void Route(ChatSession sender, ChatMessage message)
    {
        message.From = sender.Id;
        var to = message.To;
        var frame = FrameWriter.ToFrame(message);
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
        }
        else if (to > 0 && to != sender.Id)
        {
            if (_registry.TryGet(to, out var recipient))
            {
                if (recipient.Deliver(frame))
                {
                    sender.Counters.Delivered(1);
                }
            }
            else
            {
                sender.Deliver(frame);
                sender.Deliver(FrameWriter.ToFrame(ServerNotices.Create(sender.Id, $"user {to} is not connected")));
                return;
            }
        }
        else if (to < Everyone)
        {
            sender.Deliver(frame);
            sender.Deliver(FrameWriter.ToFrame(ServerNotices.Create(sender.Id, $"there is no user {to}")));
            return;
        }

        sender.Deliver(frame);
    }

    /// <summary>Sends a notice from 0 to every connected user; returns how many it reached.</summary>
    public int Announce(string text)
    {
        var reached = 0;
        foreach (var user in _registry.Sessions)
        {
            if (user.Deliver(FrameWriter.ToFrame(ServerNotices.Create(user.Id, text))))
            {
                reached++;
            }
        }

        return reached;
    }
}
