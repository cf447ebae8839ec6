using System.Net;

namespace Chat.Server.Transport.Lean;

/// <summary>
/// The chat port's address when it is served by the lean transport: the mark by which
/// <see cref="LeanListenerFactory"/> takes this endpoint and leaves every other one (HTTP, TLS, the
/// admin socket) to Kestrel's socket transport.
/// </summary>
internal sealed class LeanEndPoint(IPAddress address, int port) : IPEndPoint(address, port);
