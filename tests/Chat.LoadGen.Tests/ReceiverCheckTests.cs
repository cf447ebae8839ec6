using Chat.LoadGen.Soak;

namespace Chat.LoadGen.Tests;

public class ReceiverCheckTests
{
    private const long SenderId = 1;
    private const long ReceiverId = 2;
    private const long Other = 3;

    private readonly SoakClock _clock = new();
    private readonly SentLog _sender;

    public ReceiverCheckTests() => _sender = new SentLog(SenderId, _clock);

    [Fact]
    public void EverythingOwedArrivingInOrderPasses()
    {
        var receiver = Joined();
        SendEchoed(ReceiverId, SentLog.Everyone, ReceiverId);

        Assert.Null(receiver.OnDelivery(_sender, 0, ReceiverId));
        Assert.Null(receiver.OnDelivery(_sender, 1, SentLog.Everyone));
        Assert.Null(receiver.OnDelivery(_sender, 2, ReceiverId));
        receiver.BeginLeaving(_clock);
        Assert.Empty(receiver.Missing([_sender]));
    }

    [Fact]
    public void AMessageSkippedBeforeALaterOneIsAGap()
    {
        var receiver = Joined();
        SendEchoed(SentLog.Everyone, SentLog.Everyone, SentLog.Everyone);

        Assert.Null(receiver.OnDelivery(_sender, 0, SentLog.Everyone));
        Assert.Contains("message 1 from 1 never arrived before it (gap)", receiver.OnDelivery(_sender, 2, SentLog.Everyone), StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageTwiceIsADuplicate()
    {
        var receiver = Joined();
        SendEchoed(ReceiverId, ReceiverId);

        Assert.Null(receiver.OnDelivery(_sender, 0, ReceiverId));
        Assert.Contains("duplicated", receiver.OnDelivery(_sender, 0, ReceiverId), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEarlierMessageAfterALaterOneIsAReordering()
    {
        var receiver = Joined();
        SendEchoed(SentLog.Everyone, SentLog.Everyone);

        // The gap that the later one opens is reported first; the late arrival of the earlier one is the reordering.
        Assert.NotNull(receiver.OnDelivery(_sender, 1, SentLog.Everyone));
        Assert.Contains("reordered, after message 1", receiver.OnDelivery(_sender, 0, SentLog.Everyone), StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesToSomeoneElseAreNotOwed()
    {
        var receiver = Joined();
        SendEchoed(ReceiverId, Other, SenderId, ReceiverId);

        Assert.Null(receiver.OnDelivery(_sender, 0, ReceiverId));
        Assert.Null(receiver.OnDelivery(_sender, 3, ReceiverId));
        receiver.BeginLeaving(_clock);
        Assert.Empty(receiver.Missing([_sender]));
    }

    [Fact]
    public void AMessageToSomeoneElseThatArrivesIsAnError()
    {
        var receiver = Joined();
        SendEchoed(Other);

        Assert.Contains("addressed to 3, delivered here", receiver.OnDelivery(_sender, 0, Other), StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesSentBeforeTheHandshakeAreNotOwed()
    {
        SendEchoed(SentLog.Everyone, SentLog.Everyone);
        var receiver = Joined();
        SendEchoed(SentLog.Everyone);

        // Message 1 was sent before the receiver held its handshake: its absence is no gap.
        Assert.Null(receiver.OnDelivery(_sender, 2, SentLog.Everyone));
        receiver.BeginLeaving(_clock);
        Assert.Empty(receiver.Missing([_sender]));
    }

    [Fact]
    public void AMessageSentAfterTheHandshakeAndNeverDeliveredIsMissing()
    {
        SendEchoed(SentLog.Everyone);
        var receiver = Joined();
        SendEchoed(SentLog.Everyone);
        receiver.BeginLeaving(_clock);

        Assert.Contains("message 1 from 1 never arrived", Assert.Single(receiver.Missing([_sender])), StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageEchoedBeforeTheLeaveBeganAndNeverDeliveredIsMissing()
    {
        var receiver = Joined();
        SendEchoed(ReceiverId, ReceiverId);
        Assert.Null(receiver.OnDelivery(_sender, 0, ReceiverId));
        receiver.BeginLeaving(_clock);

        Assert.Contains("message 1 from 1 never arrived", Assert.Single(receiver.Missing([_sender])), StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageEchoedOnlyAfterTheLeaveBeganIsNotOwed()
    {
        var receiver = Joined();
        _sender.Record(ReceiverId);
        receiver.BeginLeaving(_clock);
        Assert.Null(_sender.OnEcho(0, ReceiverId));

        Assert.Empty(receiver.Missing([_sender]));
    }

    [Fact]
    public void AMessageNeverEchoedIsNotOwed()
    {
        var receiver = Joined();
        _sender.Record(SentLog.Everyone);
        receiver.BeginLeaving(_clock);

        Assert.Empty(receiver.Missing([_sender]));
    }

    private ReceiverCheck Joined() => new(ReceiverId, _clock.Next());

    // Sends one message per target and reads its echo, in order.
    private void SendEchoed(params long[] targets)
    {
        foreach (var target in targets)
        {
            var sequence = _sender.Record(target);
            Assert.Null(_sender.OnEcho(sequence, target));
        }
    }
}
