using System.Net;

namespace Chat.LoadGen.Soak;

/// <summary>What <c>chat-bench soak</c> was asked to do.</summary>
/// <param name="EndPoint">The server's chat port, on the loopback interface.</param>
/// <param name="Clients">Clients connected at once (each leaving client is replaced).</param>
/// <param name="Duration">How long messages are sent; every client then leaves.</param>
/// <param name="Rate">Messages per second from all clients together.</param>
/// <param name="Mix">Shares of direct, broadcast and to-self messages.</param>
/// <param name="MeanLifetime">Mean time a client stays before it leaves (exponential); zero: no churn.</param>
/// <param name="AdminSocket">The server's admin socket, polled for <c>num.users</c> and <c>list.users</c>.</param>
/// <param name="ServerPid">The server's process id for its memory; null: asked of the admin socket.</param>
/// <param name="PollInterval">Time between two polls of the admin socket.</param>
/// <param name="SampleInterval">Time between two progress lines.</param>
internal sealed record SoakSettings(
    IPEndPoint EndPoint,
    int Clients,
    TimeSpan Duration,
    double Rate,
    MessageMix Mix,
    TimeSpan MeanLifetime,
    string AdminSocket,
    int? ServerPid,
    TimeSpan PollInterval,
    TimeSpan SampleInterval);
