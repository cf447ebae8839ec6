using System.Globalization;
using Chat.TestKit;

namespace Chat.LoadGen.Tests;

/// <summary>A real redis-server for the class's runs.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public string Port => Redis.Port.ToString(CultureInfo.InvariantCulture);

    public string Pid => Redis.ProcessId.ToString(CultureInfo.InvariantCulture);

    public async Task InitializeAsync() => Redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Redis.DisposeAsync();
}

/// <summary>The generator driving a real redis-server in RESP, as the yardstick does, every reply checked.</summary>
public class RespRunTests : IClassFixture<RedisFixture>
{
    private readonly RedisFixture _fixture;

    public RespRunTests(RedisFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("32")]
    [InlineData("1024")]
    public async Task EchoCommandsAreCheckedAndTheServerMeasured(string size)
    {
        var result = await Bench.RunAsync("echo", "--transport", "resp", "--port", _fixture.Port, "-c", "4", "-p", "8", "-s", size, "-d", "0.5", "-w", "0.2", "--server-pid", _fixture.Pid);

        result.AssertClean();
        Assert.Equal("resp", result["transport"]);
        Assert.True(result.Number("rate") > 0);
        Assert.True(result.Number("server_cpu_us") >= 0);
    }

    [Fact]
    public async Task InBatchesEveryReplyIsCheckedToo()
    {
        var result = await Bench.RunAsync("echo", "--transport", "resp", "--batches", "--port", _fixture.Port, "-c", "2", "-p", "16", "-d", "0.5", "-w", "0.2");

        result.AssertClean();
        Assert.Equal("1", result["batches"]);
        Assert.True(result.Number("rate") > 0);
    }

    [Fact]
    public async Task ChurnOpensPingsAndClosesConnections()
    {
        var result = await Bench.RunAsync("churn", "--transport", "resp", "--port", _fixture.Port, "-c", "2", "-d", "0.5", "-w", "0.2", "--server-pid", _fixture.Pid);

        result.AssertClean();
        Assert.True(result.Number("rate") > 0);
    }

    [Fact]
    public async Task AChatServerIsNotTakenForARedisServer()
    {
        await using var chat = await BenchServer.StartAsync();

        var result = await Bench.RunAsync("echo", "--transport", "resp", "--port", chat.Chat.Port.ToString(CultureInfo.InvariantCulture), "-c", "1", "-d", "0.5", "-w", "0.2");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PING was not answered with +PONG", result.Output, StringComparison.Ordinal);
    }
}
