using System.Buffers;
using System.Text;
using Google.Protobuf;

namespace Chat.Protocol;

/// <summary>
/// Parses a frame body into a message, turning every way a body can be wrong into a
/// <see cref="ProtocolViolationException"/> (PROTOCOL.md, "Transport and framing").
/// </summary>
public static class MessageDecoder
{
    /// <summary>Parses <paramref name="body"/> as a <typeparamref name="T"/>.</summary>
    /// <exception cref="ProtocolViolationException">The body is not a valid <typeparamref name="T"/>.</exception>
    public static T Parse<T>(MessageParser<T> parser, in ReadOnlySequence<byte> body)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(parser);
        try
        {
            // A body in one segment (nearly always) parses from its span, without the sequence walk.
            return body.IsSingleSegment ? parser.ParseFrom(body.FirstSpan) : parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new ProtocolViolationException(
                $"frame body is not a valid {typeof(T).Name}: {exception.Message}", exception);
        }
        catch (DecoderFallbackException exception)
        {
            // Google.Protobuf decodes strings strictly, so invalid UTF-8 surfaces here.
            throw new ProtocolViolationException("msg is not valid UTF-8", exception);
        }
    }
}
