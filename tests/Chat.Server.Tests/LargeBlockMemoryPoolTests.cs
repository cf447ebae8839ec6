using Chat.Server.Transport;
using Chat.TestKit;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Server.Tests;

/// <summary>The 32 KiB blocks Kestrel's sockets read into and write from.</summary>
public class LargeBlockMemoryPoolTests
{
    [Fact]
    public void EveryBlockIsThirtyTwoKibibytesAndAReturnedBlockIsReused()
    {
        using var pool = new LargeBlockMemoryPool();

        var first = pool.Rent();
        var memory = first.Memory;
        first.Dispose();
        using var second = pool.Rent(1);

        Assert.Equal(LargeBlockMemoryPool.BlockSize, memory.Length);
        Assert.Equal(32 * 1024, pool.MaxBufferSize);
        Assert.True(memory.Span == second.Memory.Span, "the returned block is handed out again");
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void AtMostTwoHundredFiftySixReturnedBlocksAreKept()
    {
        using var pool = new LargeBlockMemoryPool();
        var blocks = Enumerable.Range(0, 300).Select(_ => pool.Rent()).ToList();

        blocks.ForEach(block => block.Dispose());

        Assert.Equal(256, pool.FreeBlocks);
    }

    [Fact]
    public async Task TheServerGivesKestrelTheLargeBlockPool()
    {
        await using var server = await TestServer.StartAsync();

        var factory = server.Services.GetRequiredService<IMemoryPoolFactory<byte>>();

        Assert.IsType<LargeBlockMemoryPool>(factory.Create());
    }
}
