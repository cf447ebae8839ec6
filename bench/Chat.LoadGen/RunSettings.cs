using System.Net;

namespace Chat.LoadGen;

/// <summary>What every mode shares: the target, the phases and the budget.</summary>
internal sealed record RunSettings(
    IPEndPoint EndPoint,
    int Connections,
    TimeSpan Warmup,
    TimeSpan Duration,
    int? ServerPid,
    double? MinRate,
    double? MaxP99Microseconds);
