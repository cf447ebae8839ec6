using Chat.Server.Web;

namespace Chat.Server.Tests;

/// <summary>The stream under a WebSocket that lets one batch of messages leave in one write.</summary>
public class WriteBatchingStreamTests
{
    [Fact]
    public async Task WritesAndFlushesInsideABatchLeaveInOneWriteAtItsEnd()
    {
        var connection = new RecordingStream();
        var stream = new WriteBatchingStream(connection);

        stream.BeginBatch();
        await stream.WriteAsync(new byte[] { 1, 2 });
        await stream.FlushAsync();
        await stream.WriteAsync(new byte[] { 3 });
        await stream.FlushAsync();
        Assert.Empty(connection.Writes);
        await stream.EndBatchAsync();

        Assert.Equal([[1, 2, 3]], connection.Writes);
    }

    [Fact]
    public async Task OutsideABatchEveryWriteGoesStraightThrough()
    {
        var connection = new RecordingStream();
        var stream = new WriteBatchingStream(connection);

        await stream.WriteAsync(new byte[] { 1 });
        await stream.WriteAsync(new byte[] { 2 });

        Assert.Equal([[1], [2]], connection.Writes);
    }

    [Fact]
    public async Task ABatchOverItsBoundIsWrittenOutInOrderAsItGrows()
    {
        var connection = new RecordingStream();
        var stream = new WriteBatchingStream(connection);
        var big = new byte[40 * 1024];

        stream.BeginBatch();
        await stream.WriteAsync(new byte[] { 7 });
        await stream.WriteAsync(big);
        await stream.WriteAsync(big);
        await stream.EndBatchAsync();

        // What the batch held leaves before the write that would overflow it, so order is kept.
        Assert.Equal(1 + big.Length + big.Length, connection.Writes.Sum(write => write.Length));
        Assert.Equal(7, connection.Writes[0][0]);
        Assert.True(connection.Writes.Count <= 3);
    }

    private sealed class RecordingStream : MemoryStream
    {
        public List<byte[]> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }
    }
}
