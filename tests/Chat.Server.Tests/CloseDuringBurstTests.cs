using System.Buffers;
using System.Globalization;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// A session closed while it is routing a pipelined burst: every message is either delivered and
/// echoed, or neither (PROTOCOL.md, "Conversation" 3).
/// </summary>
public class CloseDuringBurstTests
{
    private const int Trials = 100;
    private const int Burst = 3_000;

    [Fact]
    public async Task KickDuringABurstNeverDeliversAMessageWithoutItsEcho()
    {
        await using var server = await TestServer.StartAsync();
        var burst = EncodeBurst();
        var lost = new List<string>();
        for (var trial = 0; trial < Trials; trial++)
        {
            await using var sender = await server.ConnectAsync();
            await using var recipient = await server.ConnectAsync();
            var echoes = ReadUntilClosedAsync(sender, sender.Id);

            await sender.SendRawAsync(Encode(burst, recipient.Id));
            // The kick lands at a different point of the burst in each trial: after 0 to ~1,500 deliveries.
            var delivered = new List<int>();
            var kickAfter = trial * 157 % (Burst / 2);
            while (delivered.Count < kickAfter)
            {
                delivered.Add(Number(await recipient.ReceiveMessageAsync()));
            }

            server.RunCommand($"kick {sender.Id}");
            var echoed = await echoes;
            // Everything the sender's session routed was queued before the kick returned; the barrier
            // brings the rest in.
            delivered.AddRange((await recipient.BarrierAsync()).Select(Number));

            var withoutEcho = delivered.Except(echoed).Count();
            var withoutDelivery = echoed.Except(delivered).Count();
            if (withoutEcho > 0 || withoutDelivery > 0 || !delivered.SequenceEqual(echoed))
            {
                lost.Add($"trial {trial}: {delivered.Count} delivered, {echoed.Count} echoed, {withoutEcho} without echo, {withoutDelivery} without delivery");
            }
        }

        Assert.True(lost.Count == 0, $"{lost.Count} of {Trials} trials broke the rule; {string.Join("; ", lost.Take(5))}");
    }

    // The echoes the sender got; its last frame must be the notice of the kick, whatever it still had in flight.
    private static async Task<List<int>> ReadUntilClosedAsync(TestConnection sender, long id)
    {
        var echoed = new List<int>();
        var received = await sender.ExpectClosedAsync();
        Assert.True(received.Count > 0 && received[^1].From == 0, $"user {id}: the kick's notice did not arrive last; {received.Count} frames arrived");
        foreach (var message in received)
        {
            if (message.From == id)
            {
                echoed.Add(Number(message));
            }
        }

        return echoed;
    }

    private static int Number(ChatMessage message) => int.Parse(message.Msg, CultureInfo.InvariantCulture);

    private static ChatMessage[] EncodeBurst() =>
        Enumerable.Range(0, Burst).Select(i => new ChatMessage { Msg = i.ToString(CultureInfo.InvariantCulture) }).ToArray();

    private static byte[] Encode(ChatMessage[] burst, long to)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var message in burst)
        {
            message.To = to;
            FrameWriter.WriteFrame(buffer, message);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
