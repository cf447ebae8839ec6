using Chat.Protocol;

namespace Chat.Server;

/// <summary>
/// Everything an operator can set, bound from appsettings.json (section "Chat"), the environment
/// (<c>Chat__MaxUsers=500</c>) and the command line, in rising precedence.
/// </summary>
public sealed class ChatServerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Chat";

    /// <summary>Address to listen on. Default 0.0.0.0 (every interface), so a classroom can reach it.</summary>
    public string Host { get; init; } = "0.0.0.0";

    /// <summary>TCP port. Default 7777; 0 picks a free port (tests).</summary>
    public int Port { get; init; } = 7777;

    /// <summary>
    /// Connected users at most. Default 10,000: well inside the usual descriptor limit, with room
    /// for the refusals the server still has to answer past it.
    /// </summary>
    public int MaxUsers { get; init; } = 10_000;

    /// <summary>
    /// TCP port of the TLS listener, beside the plain one (same host, same sessions, TLS 1.2 or 1.3).
    /// Default unset: no TLS, so a server opens no port nobody asked for; 0 picks a free port (tests).
    /// </summary>
    public int? TlsPort { get; init; }

    /// <summary>
    /// The TLS certificate: a PEM file (certbot's <c>fullchain.pem</c>: the certificate, then the
    /// intermediates, which are sent to clients too) with its key in <see cref="TlsKey"/>, or a PFX
    /// file without a password and no key file. Read at start-up and again on SIGHUP or <c>reload.tls</c>.
    /// </summary>
    public string? TlsCertificate { get; init; }

    /// <summary>The PEM private key of <see cref="TlsCertificate"/> (certbot's <c>privkey.pem</c>); unset for a PFX.</summary>
    public string? TlsKey { get; init; }

    /// <summary>
    /// Largest frame body a client may send, in bytes. Default 64 KiB (PROTOCOL.md): a chat line
    /// never needs more, and the bound keeps one client from making the server buffer megabytes.
    /// </summary>
    public int MaxFrameLength { get; init; } = FrameLimits.DefaultMaxBodyLength;

    /// <summary>
    /// Bytes the server holds queued for one connection before it disconnects it as a slow consumer.
    /// Default 1 MiB: sixteen maximum-size frames, far more than a reading client ever lags.
    /// </summary>
    public int MaxQueuedBytesPerConnection { get; init; } = 1024 * 1024;

    /// <summary>
    /// Messages a second one connection may send, on average (a token bucket). Past it the server
    /// reads that connection more slowly: nothing is dropped or reordered, and nobody is cut off.
    /// Default 100,000: far above any chat, so only a runaway client meets it (one pipelining
    /// connection can send about four times that on a small machine; a held one costs the server
    /// one wake-up a millisecond). 0 turns it off. A public server might use 50.
    /// </summary>
    public double MessageRatePerSecond { get; init; } = 100_000;

    /// <summary>
    /// Messages a connection may send at once before the rate applies. Default 100,000. The server
    /// keeps at least 10 ms of the rate in the bucket whatever this says, since a throttled
    /// connection is read about once a millisecond.
    /// </summary>
    public double MessageBurst { get; init; } = 100_000;

    /// <summary>
    /// Concurrent connections from one remote address; past it the handshake is refused with
    /// ADDRESS_LIMIT. Default 0 (off), so loopback load tests work; 64 suits a public server.
    /// </summary>
    public int MaxConnectionsPerAddress { get; init; }

    /// <summary>
    /// New connections a second the server accepts (a token bucket over every connection attempt);
    /// past it the handshake is refused with RATE_LIMITED and a retry hint. Stops reconnect storms.
    /// Default 0 (off); 200 suits a public server.
    /// </summary>
    public double ConnectionRatePerSecond { get; init; }

    /// <summary>Connections that may arrive at once before the connection rate applies. Default 0: the rate itself.</summary>
    public double ConnectionBurst { get; init; }

    /// <summary>
    /// A connection that sends nothing for this long gets a notice and is closed. Default 0 (off):
    /// chat users may read for hours; TCP keepalive already finds dead peers. 00:10:00 suits a public server.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; }

    /// <summary>
    /// How long the handshake may take to reach the socket before the connection is dropped.
    /// Default 10 seconds: a client that cannot take 20 bytes in that time is not there.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Run socket completions and the per-message work (read, route, write) on the socket engine's
    /// own thread instead of handing each step to the thread pool, as Redis runs its event loop.
    /// Default true: on the yardstick it raised messages/s of short messages by 1.1x to 2x at lower
    /// CPU per message, since an unpipelined message otherwise crosses threads two or three times.
    /// With 32 KiB receive blocks it wins for 1 KB messages too (about 790k against 575k msg/s at
    /// C = 100, P = 16). Safe because nothing on that path blocks; turn it off if you add code that does.
    /// </summary>
    public bool InlineIo { get; init; } = true;

    /// <summary>
    /// Socket engine threads, each with its own epoll loop, which with <see cref="InlineIo"/> do the
    /// per-message work too. Default 0: .NET's choice, one per core with inline I/O, so the server
    /// can use every core. 1 is one event loop, as Redis has: on a machine whose cores the server
    /// shares with other busy processes it measured 3% to 12% less CPU per message, 7% to 21% less
    /// per connection and a fifth off the p99 of unpipelined messages, at 15% to 20% fewer of them a
    /// second (docs/BENCHMARKS.md). Read once at start, and only by the chat-server program itself
    /// (a process-wide setting of .NET's sockets).
    /// </summary>
    public int IoThreads { get; init; }

    /// <summary>How many closed connections <c>closed.users</c> remembers. Default 100.</summary>
    public int ClosedConnectionHistory { get; init; } = 100;

    /// <summary>
    /// The Unix domain socket of the remote console (<c>chat-server admin</c>). Unset: the default,
    /// <c>$XDG_RUNTIME_DIR/chat-server.sock</c>, or <c>chat-server-USER.sock</c> in the temporary
    /// folder where that variable is not set. Empty: no admin socket. Only the server's user may
    /// open the file (mode 0600), and there is no network admin port: whoever can run programs as
    /// that user already controls the server.
    /// </summary>
    public string? AdminSocketPath { get; init; }

    /// <summary>
    /// Admin consoles (connections to the admin socket) open at once; past it a newcomer gets one
    /// error reply and is closed. Default 8: a few operators and scripts at a time, while what
    /// consoles that stop reading can hold stays small (each at most about 1 MiB of unread input).
    /// </summary>
    public int MaxAdminConnections { get; init; } = 8;

    /// <summary>
    /// An admin console that sends no command for this long is closed. Default 5 minutes: an
    /// operator's pause is shorter, and a console that was left open, or stopped reading, gives back
    /// its place among <see cref="MaxAdminConnections"/>. 0 turns it off.
    /// </summary>
    public TimeSpan AdminIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// TCP port of the HTTP listener on <see cref="Host"/>: the chat page at <c>/</c> and WebSocket
    /// sessions at <c>/ws</c>. Default 8080, so that a newcomer's first run opens in a browser;
    /// -1 turns it off (<c>--http-port off</c>), 0 picks a free port (tests).
    /// </summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>
    /// The operator's token for the dashboard at <c>/admin</c> and its API at <c>/api/...</c> on the
    /// HTTP listener; at least 16 characters. Unset: a random one is made at each start and printed
    /// in the log with the URL to open. Prefer the environment (<c>Chat__AdminToken</c>) or a file
    /// to the command line, where other users of the machine can read it.
    /// </summary>
    public string? AdminToken { get; init; }

    /// <summary>
    /// TCP port of the Prometheus scrape endpoint (<c>/metrics</c>). Default 0: off, so that a
    /// server opens no port nobody asked for.
    /// </summary>
    public int MetricsPort { get; init; }

    /// <summary>
    /// Address the metrics endpoint listens on. Default 127.0.0.1: metrics describe users and load,
    /// which are nobody else's business unless the operator says so (0.0.0.0 for a scraper elsewhere).
    /// </summary>
    public string MetricsHost { get; init; } = "127.0.0.1";

    /// <summary>
    /// How long a graceful shutdown keeps serving the users it has before it closes them.
    /// Default 5 seconds: long enough for every queued frame to go out and for clients to say goodbye.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Cluster mode: a StackExchange.Redis configuration string (<c>host:port</c>, passwords, TLS,
    /// several endpoints). Default unset: the server runs alone and needs no Redis.
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>
    /// Prefix of every Redis key and channel, so that several clusters can share one Redis.
    /// Default <c>chat</c>.
    /// </summary>
    public string Cluster { get; init; } = "chat";

    /// <summary>This node's name in the cluster, unique within it. Default unset: the host name and the process id.</summary>
    public string? NodeName { get; init; }

    /// <summary>
    /// A node not heard from for this long is declared dead and its users count as gone everywhere.
    /// Default 6 seconds: two heartbeats may be lost without a false alarm, and a crash is noticed quickly.
    /// </summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(6);
}
