using System.Globalization;
using Chat.TestKit;

namespace Chat.LoadGen.Tests;

/// <summary>A real redis-server and two chat-server nodes of one cluster.</summary>
public sealed class TwoNodeFixture : IAsyncLifetime
{
    private RedisServer? _redis;

    public BenchServer First { get; private set; } = null!;

    public BenchServer Second { get; private set; } = null!;

    public string ChatServers => $"{First.Chat},{Second.Chat}";

    public string HttpServers => $"{First.Http},{Second.Http}";

    public string Pids => string.Create(CultureInfo.InvariantCulture, $"{First.ProcessId},{Second.ProcessId}");

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var cluster = $"bench{Guid.NewGuid():N}";
        First = await BenchServer.StartAsync("--redis", _redis.Configuration, "--cluster", cluster, "--node-name", "a");
        Second = await BenchServer.StartAsync("--redis", _redis.Configuration, "--cluster", cluster, "--node-name", "b");
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await _redis!.DisposeAsync();
    }
}

/// <summary>The modes that spread their clients over the nodes of a cluster, against real processes.</summary>
public class ClusterRunTests : IClassFixture<TwoNodeFixture>
{
    private readonly TwoNodeFixture _fixture;

    public ClusterRunTests(TwoNodeFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task DirectMessagesToUsersOnTheOtherNodeAreAllDelivered()
    {
        var result = await Bench.RunAsync("echo", "--traffic", "cross", "--servers", _fixture.ChatServers, "-c", "6", "-p", "4", "-d", "0.5", "-w", "0.2", "--server-pid", _fixture.Pids);

        result.AssertClean();
        Assert.Equal("cross", result["traffic"]);
        Assert.Equal("2", result["servers"]);
        Assert.True(result.Number("rate") > 0);
        Assert.True(result.Number("server1_cpu_us") >= 0 && result.Number("server2_cpu_us") >= 0);
    }

    [Fact]
    public async Task DirectMessagesWithinEachNodeOverWebSocketAreAllDelivered()
    {
        var result = await Bench.RunAsync("echo", "--traffic", "local", "--transport", "ws", "--server", _fixture.First.Http.ToString(), "--server", _fixture.Second.Http.ToString(), "-c", "4", "-p", "2", "-d", "0.5", "-w", "0.2");

        result.AssertClean();
        Assert.Equal("local", result["traffic"]);
        Assert.True(result.Number("rate") > 0);
    }

    [Fact]
    public async Task ABroadcastReachesEveryReceiverOnBothNodes()
    {
        var result = await Bench.RunAsync("fanout", "--servers", _fixture.ChatServers, "--receivers", "40", "--senders", "2", "-p", "2", "-d", "0.5", "-w", "0.2", "--server-pid", _fixture.Pids);

        result.AssertClean();
        Assert.Equal("2", result["servers"]);
        Assert.True(result.Number("rate") > 0);
    }
}
