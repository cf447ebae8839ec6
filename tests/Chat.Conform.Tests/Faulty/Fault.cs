namespace Chat.Conform.Tests.Faulty;

/// <summary>
/// One way a server breaks the protocol, as students' servers do. <see cref="FaultyServer"/> plays the
/// protocol correctly except for the one fault it is given, so each check can be shown to fail on the
/// fault that breaks its rule (and to pass with <see cref="None"/>).
/// </summary>
public enum Fault
{
    None,

    // What a broken server looks like from the first byte: the suite must fail, never hang or crash.
    NoHandshake,
    TextInsteadOfHandshake,
    ClosesAtOnce,
    AnnouncesTwoGigabyteFrame,
    FloodsFrames,
    FourByteLengthPrefix,

    // The handshake and ids.
    SameIdForEveryone,
    ReusesIds,

    // The echo.
    NoEcho,
    TrustsClientFrom,
    EchoTwiceToSelf,
    RejectsUnknownFields,

    // Framing.
    OneByteLengthPrefix,
    RejectsEmptyFrame,
    RejectsNonMinimalPrefix,
    OneFramePerRead,
    LimitOffByOne,

    // Refusals.
    NoRefusal,
    RefusalWithoutCode,
    CountsRefusedClients,

    // Routing and notices.
    NoDelivery,
    BroadcastToSenderToo,
    NoUnknownRecipientNotice,
    JoinNotices,

    // Ordering.
    ReordersEchoes,
    ReordersDeliveries,
    EchoBeforeDelivery,

    // Hostile input.
    WaitsForAnnouncedBody,
    AcceptsLongPrefix,
    TruncatesPrefixTo32Bits,
    IgnoresBadBody,
    AcceptsInvalidUtf8,
    CrashesOnBadInput,

    // Flow control.
    BlocksOnSlowReader,
    UnboundedQueue,
    DropsFastSender,

    // Shutdown.
    ShutdownWithoutNotice,
    ShutdownClosesAtOnce,
    ShutdownAcceptsNewcomers,
}
