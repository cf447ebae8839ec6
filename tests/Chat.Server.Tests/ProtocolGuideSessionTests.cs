using System.Buffers;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The worked session of docs/PROTOCOL.md, played byte for byte against a real server.</summary>
public class ProtocolGuideSessionTests
{
    private const string Server = "server";

    [Fact]
    public async Task TheGuidesWorkedSessionIsWhatARealServerSendsAndAccepts()
    {
        var steps = ProtocolGuide.WorkedSession();
        Assert.True(steps.Count >= 10, $"expected at least 10 steps in the guide's worked session, found {steps.Count}");
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "2" });
        var clients = new Dictionary<string, TestConnection>();
        try
        {
            foreach (var step in steps)
            {
                var context = $"line {step.Frame.LineNumber}: {step.From} → {step.To}";
                if (step.From == Server)
                {
                    // A client first named as a receiver connects now, so ids follow the guide's order.
                    if (!clients.TryGetValue(step.To, out var receiver))
                    {
                        receiver = await server.ConnectRawAsync();
                        clients.Add(step.To, receiver);
                    }

                    var body = await receiver.ReceiveFrameAsync();
                    Assert.True(body is not null, $"{context}: the server closed the connection instead");
                    var (expected, actual) = (Convert.ToHexString(BodyOf(step.Frame.Frame)), Convert.ToHexString(body));
                    Assert.True(expected == actual, $"{context}: the guide shows the body {expected}, the server sent {actual}");
                }
                else
                {
                    Assert.True(step.To == Server, $"{context}: a frame goes from a client to the server or back");
                    Assert.True(clients.TryGetValue(step.From, out var sender), $"{context}: {step.From} sends before it has connected");
                    await sender.SendRawAsync(step.Frame.Frame);
                }
            }

            var refused = steps.Last(step => step.Frame.Message is Handshake { Error: true }).To;
            Assert.Empty(await clients[refused].ExpectClosedAsync());
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static byte[] BodyOf(byte[] frame)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        Assert.True(FrameReader.TryReadFrame(ref buffer, int.MaxValue, out var body));
        return body.ToArray();
    }
}
