using System.Net;
using Chat.LoadGen.Links;
using Chat.LoadGen.Traffic;

namespace Chat.LoadGen.Tests;

public class OptionParsingTests
{
    [Fact]
    public void ServersAreCommaSeparatedOrRepeatedAndKeepTheirOrder()
    {
        var problems = new List<string>();

        var servers = ServerList.Parse(["127.0.0.1:7001,127.0.0.1:7002", "localhost:7003", "[::1]:7004"], "127.0.0.1", 9999, problems);

        Assert.Empty(problems);
        Assert.Equal(
            [new IPEndPoint(IPAddress.Loopback, 7001), new IPEndPoint(IPAddress.Loopback, 7002), new IPEndPoint(IPAddress.Loopback, 7003), new IPEndPoint(IPAddress.IPv6Loopback, 7004)],
            servers);
    }

    [Fact]
    public void WithoutServersTheHostAndPortNameTheOne()
    {
        var problems = new List<string>();

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 7777)], ServerList.Parse([], "127.0.0.1", 7777, problems));
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("10.0.0.1:7777")]
    [InlineData("example.com:7777")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    public void AServerThatIsNotALoopbackHostAndPortIsRefused(string server)
    {
        var problems = new List<string>();

        Assert.Empty(ServerList.Parse([server], null, null, problems));
        Assert.Single(problems);
    }

    [Fact]
    public void NoServerAtAllIsRefusedAndSoIsTheSameServerTwice()
    {
        var none = new List<string>();
        ServerList.Parse([], "127.0.0.1", null, none);
        var twice = new List<string>();
        ServerList.Parse(["127.0.0.1:7001,127.0.0.1:7001"], null, null, twice);

        Assert.Single(none);
        Assert.Contains("twice", Assert.Single(twice), StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessIdsAreCommaSeparatedOrRepeated()
    {
        var problems = new List<string>();

        Assert.Equal([11, 12, 13], ServerList.ParsePids(["11,12", "13"], "--server-pid", problems));
        Assert.Empty(problems);
        ServerList.ParsePids(["x"], "--server-pid", problems);
        Assert.Single(problems);
    }

    [Fact]
    public void TransportsHaveNames()
    {
        Assert.Equal(TransportKind.Tcp, TransportNames.TryParse("tcp"));
        Assert.Equal(TransportKind.WebSocket, TransportNames.TryParse("ws"));
        Assert.Equal(TransportKind.WebSocket, TransportNames.TryParse("WebSocket"));
    }

    [Fact]
    public void AnUnknownTransportOrTrafficIsNull()
    {
        Assert.Null(TransportNames.TryParse("udp"));
        Assert.Null(TrafficPlan.TryParse("everywhere"));
        Assert.Equal(TrafficPattern.Cross, TrafficPlan.TryParse("cross"));
    }

    [Fact]
    public void LocalTrafficPutsBothOfAPairOnOneNodeAndSpreadsThePairs()
    {
        var nodes = Enumerable.Range(0, 8).Select(client => TrafficPlan.NodeOf(TrafficPattern.Local, client, 2)).ToList();

        Assert.Equal([0, 0, 1, 1, 0, 0, 1, 1], nodes);
        Assert.All(Enumerable.Range(0, 8), client => Assert.Equal(nodes[client], nodes[TrafficPlan.PartnerOf(client)]));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void CrossTrafficPutsTheTwoOfEveryPairOnDifferentNodes(int nodeCount)
    {
        for (var client = 0; client < 12; client++)
        {
            Assert.NotEqual(
                TrafficPlan.NodeOf(TrafficPattern.Cross, client, nodeCount),
                TrafficPlan.NodeOf(TrafficPattern.Cross, TrafficPlan.PartnerOf(client), nodeCount));
        }

        // And every node gets its share.
        Assert.Equal(nodeCount, Enumerable.Range(0, 12).Select(client => TrafficPlan.NodeOf(TrafficPattern.Cross, client, nodeCount)).Distinct().Count());
    }

    [Fact]
    public void PairsNeedAnEvenCountAndCrossTrafficTwoNodes()
    {
        Assert.Null(TrafficPlan.Check(TrafficPattern.Self, 3, 1));
        Assert.Null(TrafficPlan.Check(TrafficPattern.Local, 4, 1));
        Assert.NotNull(TrafficPlan.Check(TrafficPattern.Local, 3, 1));
        Assert.NotNull(TrafficPlan.Check(TrafficPattern.Cross, 4, 1));
        Assert.Null(TrafficPlan.Check(TrafficPattern.Cross, 4, 2));
    }

    [Theory]
    [InlineData("echo", "--port", "7777", "--traffic", "cross")]
    [InlineData("echo", "--port", "7777", "--traffic", "local", "-c", "3")]
    [InlineData("echo", "--port", "7777", "--traffic", "sideways")]
    [InlineData("echo", "--port", "7777", "--transport", "ws", "--tls")]
    [InlineData("echo", "--port", "7777", "--transport", "carrier-pigeon")]
    [InlineData("echo", "--servers", "127.0.0.1:7001,127.0.0.1:7002", "--server-pid", "1,2,3")]
    [InlineData("echo", "--servers", "192.168.1.1:7001")]
    [InlineData("echo")]
    [InlineData("echo", "--port", "7777", "--transport", "resp", "--tls")]
    [InlineData("echo", "--port", "7777", "--transport", "resp", "--traffic", "local", "-c", "4")]
    [InlineData("echo", "--port", "7777", "--batches", "--traffic", "local", "-c", "4")]
    [InlineData("fanout", "--port", "7777", "--transport", "resp")]
    [InlineData("connect", "--port", "7777", "--transport", "ws", "--raw")]
    [InlineData("fanout", "--port", "7777", "--senders", "0")]
    [InlineData("fanout", "--port", "7777", "--receivers", "19000")]
    [InlineData("fanout", "--port", "7777", "--pipeline", "0")]
    public async Task BadOptionsExitWithTwoWithoutTouchingTheNetwork(params string[] arguments)
    {
        var exitCode = await LoadGenCommandLine.CreateRootCommand().Parse(arguments).InvokeAsync();

        Assert.Equal(2, exitCode);
    }
}
