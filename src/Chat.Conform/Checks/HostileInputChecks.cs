using System.Globalization;
using Chat.Conform.Running;
using Chat.Conform.Wire;

namespace Chat.Conform.Checks;

/// <summary>
/// Protocol violations: each must close the offending connection (after at most one notice), without
/// reading or allocating an announced length, and leave every other user chatting (PROTOCOL.md §3).
/// </summary>
internal static class HostileInputChecks
{
    private const string CloseRule = "a protocol violation closes that connection (the server may send one notice first)";

    public static IEnumerable<ConformanceCheck> All()
    {
        yield return new ConformanceCheck("over-limit", CheckLevel.Contract, ProtocolSections.MaximumLength,
            "a prefix announcing one byte over the maximum, or 4 GB, closes that connection at once, without waiting for the body",
            OverLimitAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("long-prefix", CheckLevel.Contract, ProtocolSections.MaximumLength,
            "a length prefix of 6 bytes (80 80 80 80 80 00) closes that connection", LongPrefixAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("prefix-over-32-bits", CheckLevel.Contract, ProtocolSections.MaximumLength,
            "a 5-byte prefix whose value does not fit 32 bits (80 80 80 80 10) closes that connection", PrefixOver32BitsAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("garbage-body", CheckLevel.Contract, ProtocolSections.MaximumLength,
            "a frame whose body is not a ChatMessage closes that connection, and only that one", GarbageBodyAsync)
        {
            Needs = ["echo"],
        };
        yield return new ConformanceCheck("invalid-utf8", CheckLevel.Contract, ProtocolSections.MaximumLength,
            "a msg that is not valid UTF-8 closes that connection, and only that one", InvalidUtf8Async)
        {
            Needs = ["echo"],
        };
    }

    private static async Task OverLimitAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var limit = context.Settings.MaxFrameLength;
        var justOver = RawFrames.Varint((uint)limit + 1);
        var rule = "the server must decide from the prefix alone and close the connection, without waiting for, reading or " +
            "allocating the announced body";
        await CheckSteps.ExpectViolationClosesOnlyThatConnectionAsync(context, justOver,
            string.Create(CultureInfo.InvariantCulture, $"a length prefix announcing {limit + 1:N0} bytes, one over the maximum"), rule, cancellationToken);
        await context.DisposeAsync();
        await CheckSteps.ExpectViolationClosesOnlyThatConnectionAsync(context, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F],
            "a length prefix announcing 4,294,967,295 bytes", rule, cancellationToken);
    }

    private static Task LongPrefixAsync(CheckContext context, CancellationToken cancellationToken) =>
        CheckSteps.ExpectViolationClosesOnlyThatConnectionAsync(context, [0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            "a length prefix of 6 bytes", "a prefix is at most 5 bytes; a longer one is a protocol violation, and " + CloseRule,
            cancellationToken);

    private static Task PrefixOver32BitsAsync(CheckContext context, CancellationToken cancellationToken) =>
        CheckSteps.ExpectViolationClosesOnlyThatConnectionAsync(context, [0x80, 0x80, 0x80, 0x80, 0x10],
            "a length prefix whose value is 2^32 (it is 0 if cut to 32 bits)",
            "a prefix's value must fit 32 bits; one that does not is a protocol violation, and " + CloseRule, cancellationToken);

    private static Task GarbageBodyAsync(CheckContext context, CancellationToken cancellationToken) =>
        CheckSteps.ExpectViolationClosesOnlyThatConnectionAsync(context, [0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            "a 5-byte body that is not a protobuf message (a field tag that never ends)",
            "a body that does not parse as a ChatMessage is a protocol violation, and " + CloseRule, cancellationToken);

    private static Task InvalidUtf8Async(CheckContext context, CancellationToken cancellationToken) =>
        CheckSteps.ExpectViolationClosesOnlyThatConnectionAsync(context, [0x04, 0x1A, 0x02, 0xC3, 0x28],
            "a ChatMessage whose msg is the bytes C3 28 (not valid UTF-8)",
            "msg must be valid UTF-8; anything else is a protocol violation, and " + CloseRule, cancellationToken);
}
