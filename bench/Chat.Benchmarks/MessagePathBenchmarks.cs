using System.Buffers;
using BenchmarkDotNet.Attributes;
using Chat.Protocol;

namespace Chat.Benchmarks;

/// <summary>
/// The server's per-message path on one 32-byte message, as the read loop and the router run it:
/// take the frame off the input, decode it, stamp <c>from</c>, encode the frame that goes out.
/// The baseline is the path as the server runs it (the stamper, into a reused buffer); the others
/// are the generated-parser path it falls back to, taken apart to show where time and bytes go.
/// </summary>
[MemoryDiagnoser]
public class MessagePathBenchmarks
{
    private const long SenderId = 12345;

    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly byte[] _stamped = new byte[ChatMessageStamper.MaxStampedFrameLength(FrameLimits.DefaultMaxBodyLength)];
    private byte[] _incoming = [];
    private ChatMessage _message = new();

    [Params(32, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = new ChatMessage { To = 7, Msg = new string('x', Size) };
        _incoming = FrameWriter.ToFrame(_message);
    }

    /// <summary>Frame reader, then the stamper writes the outgoing frame from the wire bytes: the server today.</summary>
    [Benchmark(Baseline = true)]
    public int ReadAndStamp()
    {
        var buffer = new ReadOnlySequence<byte>(_incoming);
        FrameReader.TryReadFrame(ref buffer, FrameLimits.DefaultMaxBodyLength, out var body);
        ChatMessageStamper.TryStamp(body.FirstSpan, SenderId, _stamped, out var length, out _);
        return length;
    }

    /// <summary>Frame reader, decoder, stamp, and a new array for the outgoing frame: the fallback path.</summary>
    [Benchmark]
    public int DecodeStampEncode()
    {
        var buffer = new ReadOnlySequence<byte>(_incoming);
        FrameReader.TryReadFrame(ref buffer, FrameLimits.DefaultMaxBodyLength, out var body);
        var message = MessageDecoder.Parse(ChatMessage.Parser, body);
        message.From = SenderId;
        return FrameWriter.ToFrame(message).Length;
    }

    /// <summary>The same, but the outgoing frame goes into a reused buffer instead of a new array.</summary>
    [Benchmark]
    public int DecodeStampWriteIntoBuffer()
    {
        var buffer = new ReadOnlySequence<byte>(_incoming);
        FrameReader.TryReadFrame(ref buffer, FrameLimits.DefaultMaxBodyLength, out var body);
        var message = MessageDecoder.Parse(ChatMessage.Parser, body);
        message.From = SenderId;
        _output.ResetWrittenCount();
        FrameWriter.WriteFrame(_output, message);
        return _output.WrittenCount;
    }

    /// <summary>Only the frame reader and the decoder.</summary>
    [Benchmark]
    public long Decode()
    {
        var buffer = new ReadOnlySequence<byte>(_incoming);
        FrameReader.TryReadFrame(ref buffer, FrameLimits.DefaultMaxBodyLength, out var body);
        return MessageDecoder.Parse(ChatMessage.Parser, body).To;
    }

    /// <summary>Only the encoder, into a new array.</summary>
    [Benchmark]
    public int Encode()
    {
        _message.From = SenderId;
        return FrameWriter.ToFrame(_message).Length;
    }
}
