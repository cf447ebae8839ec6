using System.Net;
using Chat.LoadGen.Links;

namespace Chat.LoadGen;

/// <summary>
/// What every mode shares: the targets, the phases and the budget. With several servers (the nodes of
/// one cluster) connection i goes to <c>EndPoints[i % count]</c> unless a mode places it otherwise.
/// </summary>
internal sealed record RunSettings(
    IReadOnlyList<IPEndPoint> EndPoints,
    int Connections,
    TimeSpan Warmup,
    TimeSpan Duration,
    IReadOnlyList<int> ServerPids,
    double? MinRate,
    double? MaxP99Microseconds,
    TransportKind Transport = TransportKind.Tcp,
    int? RedisPid = null)
{
    /// <summary>The server connection <paramref name="index"/> goes to, round robin.</summary>
    public IPEndPoint EndPointFor(int index) => EndPoints[index % EndPoints.Count];

    /// <summary>The targets as people read them, with the transport.</summary>
    public string Describe() =>
        $"{string.Join(", ", EndPoints)}{Transport switch
        {
            TransportKind.WebSocket => " over WebSocket (/ws, chat.v1)",
            TransportKind.Resp => " in RESP (a Redis server: PING, ECHO)",
            _ => string.Empty,
        }}";
}
