using System.Globalization;

namespace Chat.LoadGen.Tests;

/// <summary>One real chat-server for the class's runs, with its HTTP listener on for /ws.</summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    public BenchServer Server { get; private set; } = null!;

    public string Pid => Server.ProcessId.ToString(CultureInfo.InvariantCulture);

    public string ChatPort => Server.Chat.Port.ToString(CultureInfo.InvariantCulture);

    public string HttpPort => Server.Http.Port.ToString(CultureInfo.InvariantCulture);

    public async Task InitializeAsync() => Server = await BenchServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>A second or so of each new mode against a real server process: every echo and delivery checked.</summary>
public class RealServerRunTests : IClassFixture<RealServerFixture>
{
    private readonly RealServerFixture _fixture;

    public RealServerRunTests(RealServerFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task EchoOverWebSocketChecksEveryEchoAndMeasuresTheServer()
    {
        var result = await Bench.RunAsync("echo", "--transport", "ws", "--port", _fixture.HttpPort, "-c", "4", "-p", "4", "-d", "0.5", "-w", "0.2", "--server-pid", _fixture.Pid);

        result.AssertClean();
        Assert.Equal("ws", result["transport"]);
        Assert.True(result.Number("rate") > 0);
        Assert.True(result.Number("server_cpu_us") >= 0);
    }

    [Fact]
    public async Task EchoInBatchesChecksEveryEcho()
    {
        var result = await Bench.RunAsync("echo", "--batches", "--port", _fixture.ChatPort, "-c", "2", "-p", "16", "-d", "0.5", "-w", "0.2", "--server-pid", _fixture.Pid);

        result.AssertClean();
        Assert.Equal("1", result["batches"]);
        Assert.True(result.Number("rate") > 0);
    }

    [Fact]
    public async Task IdleWebSocketConnectionsAreHeldAndTheirMemoryMeasured()
    {
        var result = await Bench.RunAsync("connect", "--transport", "ws", "--port", _fixture.HttpPort, "-c", "20", "--hold", "1", "--server-pid", _fixture.Pid);

        result.AssertClean();
        Assert.Equal("20", result["held"]);
        Assert.NotNull(result["bytes_per_conn"]);
    }

    [Fact]
    public async Task ChurnOverWebSocketCompletesHandshakes()
    {
        var result = await Bench.RunAsync("churn", "--transport", "ws", "--port", _fixture.HttpPort, "-c", "2", "-d", "0.5", "-w", "0.2");

        result.AssertClean();
        Assert.True(result.Number("rate") > 0);
    }

    [Fact]
    public async Task DirectMessagesBetweenPairsOnOneServerAreAllDelivered()
    {
        var result = await Bench.RunAsync("echo", "--traffic", "local", "--port", _fixture.ChatPort, "-c", "6", "-p", "4", "-d", "0.5", "-w", "0.2", "--server-pid", _fixture.Pid);

        result.AssertClean();
        Assert.Equal("local", result["traffic"]);
        Assert.True(long.Parse(result["messages"], CultureInfo.InvariantCulture) > 0);
        Assert.True(result.Number("rate") > 0);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    public async Task EveryReceiverGetsEveryBroadcastInOrder(string transport)
    {
        var port = transport == "ws" ? _fixture.HttpPort : _fixture.ChatPort;

        var result = await Bench.RunAsync("fanout", "--transport", transport, "--port", port, "--receivers", "50", "--senders", "2", "-p", "2", "-d", "0.5", "-w", "0.2", "--server-pid", _fixture.Pid);

        result.AssertClean();
        Assert.Equal("50", result["receivers"]);
        Assert.True(result.Number("rate") > 0);
        Assert.True(result.Number("server_cpu_us") >= 0);
        Assert.True(result.Number("p99_us") > 0);
    }
}
