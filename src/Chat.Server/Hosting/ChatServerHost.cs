using System.Globalization;
using System.Net;
using Chat.Cluster.Redis;
using Chat.Server.Admin;
using Chat.Server.Routing;
using Chat.Server.Transport;
using Chat.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Chat.Server.Hosting;

/// <summary>Wires options, logging, Kestrel's TCP endpoint, the hub and the operator console together.</summary>
internal static class ChatServerHost
{
    /// <summary>Builds a server whose settings are appsettings.json, the environment, then <paramref name="settings"/>.</summary>
    /// <param name="settings">Configuration keys that win over the rest (the command line's, or a test's).</param>
    /// <param name="ownsProcess">
    /// True for the real process: stdin is the operator console and signals start a graceful drain.
    /// False when hosted inside another program, such as a test.
    /// </param>
    /// <param name="timeProvider">The clock; tests pass a fake one. Null takes the system clock.</param>
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> settings, bool ownsProcess, TimeProvider? timeProvider = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        ConfigureLogging(builder.Logging);

        var services = builder.Services;
        services.AddOptions<ChatServerOptions>()
            .Bind(builder.Configuration.GetSection(ChatServerOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChatServerOptions>, ChatServerOptionsValidator>();
        services.AddSingleton(timeProvider ?? TimeProvider.System);
        services.AddSingleton<ChatHub>();
        services.AddHostedService<IdleSweeper>();
        services.AddSingleton<ShutdownCoordinator>();
        services.AddSingleton<IServerControl>(provider => provider.GetRequiredService<ShutdownCoordinator>());
        services.AddHostedService(provider => provider.GetRequiredService<ShutdownCoordinator>());
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton<IOperatorCommand, NumUsersCommand>();
        services.AddSingleton<IOperatorCommand, ShutdownCommand>();
        services.AddSingleton<IOperatorCommand, ClosedUsersCommand>();
        services.AddSingleton<IOperatorCommand, ListUsersCommand>();
        services.AddSingleton<IOperatorCommand, ShowUserCommand>();
        services.AddSingleton<IOperatorCommand, KickCommand>();
        services.AddSingleton<IOperatorCommand, SayCommand>();
        services.AddSingleton<IOperatorCommand, SetCommand>();
        services.AddSingleton<IOperatorCommand, StatsCommand>();
        services.AddSingleton<IOperatorCommand, ReloadTlsCommand>();
        services.AddSingleton<IOperatorCommand, HistoryCommand>();
        services.AddSingleton<ChatMetrics>();
        services.AddHostedService(provider => provider.GetRequiredService<ChatMetrics>());
        services.AddSingleton<TrafficSampler>();
        services.AddHostedService(provider => provider.GetRequiredService<TrafficSampler>());
        if (ownsProcess)
        {
            services.AddSingleton<IHostLifetime, ChatHostLifetime>();
            services.AddHostedService<OperatorConsole>();
        }

        var options = builder.Configuration.GetSection(ChatServerOptions.SectionName).Get<ChatServerOptions>() ?? new ChatServerOptions();
        if (ownsProcess && options.InlineIo)
        {
            // Read once, by the socket engine's first use, which is still to come; a process-wide
            // switch, so only the real server sets it, never a test host sharing its process.
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        }

        if (ownsProcess && options.IoThreads > 0)
        {
            // Read at the same moment, for the same reason.
            Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", options.IoThreads.ToString(CultureInfo.InvariantCulture));
        }

        if (options.Redis is { Length: > 0 } redis)
        {
            AddCluster(services, options, redis);
        }


        if (options.TlsPort is not null)
        {
            services.AddSingleton<TlsCertificateStore>();
            services.AddHostedService(provider => provider.GetRequiredService<TlsCertificateStore>());
            if (ownsProcess)
            {
                services.AddHostedService<TlsReloadSignal>();
            }
        }

        var adminSocket = ClaimAdminSocket(options.AdminSocketPath) is { } adminSocketPath ? new AdminSocketFile(adminSocketPath) : null;
        if (adminSocket is not null)
        {
            // Registered through a factory so that the container disposes it: a failed start leaves a folder it removes.
            services.AddSingleton(_ => adminSocket);
            services.AddHostedService(provider => provider.GetRequiredService<AdminSocketFile>());
        }

        var web = options.HttpPort >= 0 ? new WebEndPoint() : null;
        if (web is not null)
        {
            services.AddSingleton(web);
            services.AddSingleton<WebSocketGateway>();
            services.AddSingleton(new Web.Dashboard.AdminToken(options.AdminToken));
            services.AddSingleton<Web.Dashboard.AdminGate>();
            services.AddSingleton<Web.Dashboard.OperatorApi>();
        }

        if (options.MetricsPort > 0)
        {
            // System.Runtime: the runtime's own GC, memory and thread-pool figures, next to ours.
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(ChatMetrics.MeterName, "System.Runtime")
                // No response cache: a scrape shows the counters as they are (scrapers come every few seconds at most).
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Admission is ours (the handshake says why a connection is refused), so Kestrel's own
            // connection limit stays off and every refusal still gets its reason.
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.AddServerHeader = false;
            kestrel.Listen(ChatEndPoint(options), listen => listen.UseConnectionHandler<ChatConnectionHandler>());
            if (options.TlsPort is { } tlsPort)
            {
                kestrel.Listen(ParseAddress(options.Host), tlsPort,
                    listen => listen.UseChatTls(options.HandshakeTimeout).UseConnectionHandler<ChatConnectionHandler>());
            }

            if (adminSocket is not null)
            {
                kestrel.ListenUnixSocket(adminSocket.BindPath, listen => listen.UseConnectionHandler<AdminConnectionHandler>());
            }

            // The chat page and WebSocket sessions; chat and admin connections go to their handlers, never to HTTP.
            if (web is not null)
            {
                kestrel.Listen(ParseAddress(options.Host), options.HttpPort, listen => web.Configure(listen, options.TlsPort is null ? null : options.HandshakeTimeout));
            }

            if (options.MetricsPort > 0)
            {
                kestrel.Listen(ParseAddress(options.MetricsHost), options.MetricsPort, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        // Registered after Kestrel's own, so it is the one its transports take: 32 KiB blocks.
        services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.NoDelay = true;
            sockets.UnsafePreferInlineScheduling = options.InlineIo;
        });
        var app = builder.Build();
        if (options.MetricsPort > 0)
        {
            app.MapPrometheusScrapingEndpoint().RequireHost($"*:{options.MetricsPort}");
        }

        if (web is not null)
        {
            WebEndpoints.Map(app, web);
        }

        return app;
    }

    /// <summary>The chat address the server listens on, with the real port when it was started on port 0.</summary>
    public static IPEndPoint GetListenEndPoint(WebApplication app) =>
        // The chat endpoint is the first one configured; the admin socket and metrics come after it.
        ToEndPoint(GetAddresses(app).First(address => !address.Contains("unix:", StringComparison.Ordinal) && !IsTls(address)));

    /// <summary>The HTTP listener's address (chat page and <c>/ws</c>), with the real port; null when it is off.</summary>
    public static IPEndPoint? GetHttpEndPoint(WebApplication app) => app.Services.GetService<WebEndPoint>()?.EndPoint;

    /// <summary>The TLS chat address, with the real port when it was started on port 0; null when TLS is off.</summary>
    public static IPEndPoint? GetTlsEndPoint(WebApplication app) =>
        // The HTTP listener is https too when TLS is on; it is not the TLS chat port.
        GetAddresses(app).Where(IsTls).Select(ToEndPoint).FirstOrDefault(endPoint => endPoint.Port != GetHttpEndPoint(app)?.Port);

    private static ICollection<string> GetAddresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;

    private static bool IsTls(string address) => address.StartsWith("https:", StringComparison.Ordinal);

    private static IPEndPoint ToEndPoint(string address)
    {
        var uri = new Uri(address);
        var host = uri.Host.Trim('[', ']');
        return new IPEndPoint(IPAddress.TryParse(host, out var ip) ? ip : IPAddress.Loopback, uri.Port);
    }

    // Cluster mode: the node is a singleton the hub takes as its id allocator, presence directory
    // and remote port; the membership service joins before clients are accepted.
    private static void AddCluster(IServiceCollection services, ChatServerOptions options, string redis)
    {
        var settings = new ClusterSettings(redis, options.Cluster, options.NodeName ?? ClusterNames.DefaultNodeName(),
            $"{options.Host}:{options.Port}", options.NodeTimeout);
        services.AddSingleton(settings);
        services.AddSingleton<RedisClusterNode>();
        services.AddHostedService<ClusterMembership>();
        services.AddSingleton<IOperatorCommand, NodesCommand>();
    }

    private static IPEndPoint ChatEndPoint(ChatServerOptions options) => new(ParseAddress(options.Host), options.Port);

    private static IPAddress ParseAddress(string host) => host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);

    // The admin socket to listen on, or null for none. A stale file (its server was killed) is
    // removed. A path another running server answers on is left alone: an explicitly configured
    // one stops start-up, the default one only costs this server its remote console.
    private static string? ClaimAdminSocket(string? configured)
    {
        var path = AdminSocketFile.Resolve(configured);
        if (path is null)
        {
            return null;
        }

        if (AdminSocketFile.IsServed(path))
        {
            if (configured is not null)
            {
                throw new OptionsValidationException(ChatServerOptions.SectionName, typeof(ChatServerOptions),
                    [$"AdminSocketPath '{path}' is in use by another running server."]);
            }

            Console.Error.WriteLine($"chat-server: the admin socket {path} belongs to another running server; this one has no remote console (set --admin-socket)");
            return null;
        }

        AdminSocketFile.RemoveStale(path);
        return path;
    }

    // The log goes to standard error, one line an entry, so that operator replies on standard output
    // never interleave with it and scripts can read either alone.
    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
            console.IncludeScopes = false;
        });
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        // No provider shows scopes, so none is kept: each connection's scopes (Kestrel's and the
        // session's) cost about 0.3 KB of every idle connection's memory (docs/BENCHMARKS.md).
        logging.Services.Configure<LoggerFilterOptions>(filters => filters.CaptureScopes = false);
    }
}
