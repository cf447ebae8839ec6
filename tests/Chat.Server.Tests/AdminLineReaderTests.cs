using System.Buffers;
using System.Text;
using Chat.Protocol;
using Chat.Server.Admin;

namespace Chat.Server.Tests;

/// <summary>The admin socket's command lines, read from bytes however they arrive (docs/OPERATIONS.md, "The line protocol").</summary>
public class AdminLineReaderTests
{
    private const int Limit = AdminProtocol.MaxLineLength;

    [Fact]
    public void LinesEndedByNewlineOrCarriageReturnNewlineAreReadWithoutTheirEnding()
    {
        var buffer = Bytes("num.users\r\nstats --json\n\npartial");

        Assert.True(AdminLineReader.TryReadLine(ref buffer, out var first));
        Assert.True(AdminLineReader.TryReadLine(ref buffer, out var second));
        Assert.True(AdminLineReader.TryReadLine(ref buffer, out var empty));
        Assert.False(AdminLineReader.TryReadLine(ref buffer, out _));

        Assert.Equal(["num.users", "stats --json", ""], [first, second, empty]);
        Assert.Equal("partial", Encoding.UTF8.GetString(buffer));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void ALineOfExactlyTheLimitIsRead(string ending)
    {
        var buffer = Bytes(new string('x', Limit) + ending);

        Assert.True(AdminLineReader.TryReadLine(ref buffer, out var line));
        Assert.Equal(Limit, line.Length);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData(Limit + 1)]
    [InlineData(200_000)]
    public void ALineOverTheLimitIsRefusedWhenItArrivesWholeInOneRead(int length)
    {
        var buffer = Bytes(new string('x', length) + "\n");

        var refusal = Assert.Throws<ProtocolViolationException>(() => AdminLineReader.TryReadLine(ref buffer, out _));
        Assert.Equal($"command line longer than {Limit} bytes", refusal.Message);
    }

    [Fact]
    public void ALineOverTheLimitIsRefusedAsSoonAsTheLimitIsPassedWithoutWaitingForItsEnd()
    {
        // The limit and a "\r" could still end well; one byte more cannot.
        var buffer = Bytes(new string('x', Limit) + "\r");
        Assert.False(AdminLineReader.TryReadLine(ref buffer, out _));

        buffer = Bytes(new string('x', Limit + 2));
        Assert.Throws<ProtocolViolationException>(() => AdminLineReader.TryReadLine(ref buffer, out _));
    }

    [Fact]
    public void LinesDeliveredOneByteAtATimeAreReadWholeAndTheLimitStillHolds()
    {
        var stream = Encoding.UTF8.GetBytes("kick 3 bye\r\nnum.users\n" + new string('x', Limit + 1) + "\n");
        var received = new List<byte>();
        var lines = new List<string>();
        string? refusal = null;

        foreach (var next in stream)
        {
            received.Add(next);
            var buffer = new ReadOnlySequence<byte>(received.ToArray());
            try
            {
                while (AdminLineReader.TryReadLine(ref buffer, out var line))
                {
                    lines.Add(line);
                }
            }
            catch (ProtocolViolationException tooLong)
            {
                refusal = tooLong.Message;
                break;
            }

            received.RemoveRange(0, received.Count - (int)buffer.Length);
        }

        Assert.Equal(["kick 3 bye", "num.users"], lines);
        Assert.Equal($"command line longer than {Limit} bytes", refusal);
    }

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));
}
