namespace Chat.LoadGen.Soak;

/// <summary>
/// What one soak client checks about the messages other users send it. For each sender: no duplicate,
/// no reordering (sequence numbers only rise), and no gap, where it is owed every message addressed to
/// it or to everyone that the sender sent after this client held its handshake and whose echo the sender
/// had before this client began to leave (PROTOCOL.md, "Conversation" 3: deliveries are queued before
/// the echo, and one sender's messages to one recipient arrive in order). Used by one receive loop.
/// </summary>
internal sealed class ReceiverCheck
{
    private readonly Dictionary<long, long> _lastSeen = [];

    public ReceiverCheck(long id, long joinedTick)
    {
        Id = id;
        JoinedTick = joinedTick;
    }

    public long Id { get; }

    /// <summary>The tick taken once the handshake was in hand.</summary>
    public long JoinedTick { get; }

    /// <summary>The tick taken when the client began to leave; null while it stays.</summary>
    public long? LeftTick { get; private set; }

    public void BeginLeaving(SoakClock clock) => LeftTick = clock.Next();

    /// <summary>Checks one message from another user. Returns null when it is fine, else what is wrong.</summary>
    public string? OnDelivery(SentLog sender, long sequence, long to)
    {
        var where = $"user {Id}, message {sequence} from {sender.SenderId}";
        if (to != Id && to != SentLog.Everyone)
        {
            return $"{where}: addressed to {to}, delivered here";
        }

        if (sender.TargetOf(sequence) is not { } target)
        {
            return $"{where}: never sent";
        }

        if (target != to)
        {
            return $"{where}: arrived with to = {to}, sent with {target}";
        }

        var last = _lastSeen.GetValueOrDefault(sender.SenderId, -1);
        if (sequence <= last)
        {
            return sequence == last ? $"{where}: duplicated" : $"{where}: reordered, after message {last}";
        }

        _lastSeen[sender.SenderId] = sequence;
        // A later message arrived, so an earlier one this user was owed (sent after its handshake,
        // addressed to it) is lost whatever happens next: leaving cannot excuse it.
        var missed = sender.FirstOwed(Id, JoinedTick, leftTick: null, last + 1, sequence);
        return missed >= 0 ? $"{where}: message {missed} from {sender.SenderId} never arrived before it (gap)" : null;
    }

    /// <summary>
    /// Once the client has left (its last echo, sent after <see cref="BeginLeaving"/>, is back): every
    /// message it was owed and never got, one line per sender.
    /// </summary>
    public IEnumerable<string> Missing(IEnumerable<SentLog> senders)
    {
        ArgumentNullException.ThrowIfNull(senders);
        var left = LeftTick ?? throw new InvalidOperationException("the client has not begun to leave");
        foreach (var sender in senders)
        {
            if (sender.SenderId == Id)
            {
                continue;
            }

            var from = _lastSeen.GetValueOrDefault(sender.SenderId, -1) + 1;
            var missed = sender.FirstOwed(Id, JoinedTick, left, from, until: null);
            if (missed >= 0)
            {
                yield return $"user {Id}: message {missed} from {sender.SenderId} never arrived (its echo came before user {Id} began to leave)";
            }
        }
    }
}
