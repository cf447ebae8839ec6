using System.Net;
using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.TestKit;

/// <summary>A real server in this process, on 127.0.0.1 and a free port, for one test.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IPEndPoint? _tlsEndPoint;
    private readonly IPEndPoint? _httpEndPoint;

    private TestServer(WebApplication app, IPEndPoint endPoint, IPEndPoint? tlsEndPoint)
    {
        _app = app;
        _httpEndPoint = ChatServerHost.GetHttpEndPoint(app);
        EndPoint = endPoint;
        _tlsEndPoint = tlsEndPoint;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The TLS port's address, when the test set <c>Chat:TlsPort</c>.</summary>
    public IPEndPoint TlsEndPoint => _tlsEndPoint ?? throw new InvalidOperationException("this server has no TLS port (set Chat:TlsPort)");

    /// <summary>The HTTP listener's address, when the test set <c>Chat:HttpPort</c>.</summary>
    public IPEndPoint HttpEndPoint => _httpEndPoint ?? throw new InvalidOperationException("this server has no HTTP listener (set Chat:HttpPort)");

    /// <summary>The operator's token for <c>/admin</c> and <c>/api</c>: <c>Chat:AdminToken</c>, or the one made at start.</summary>
    public string AdminToken => _app.Services.GetService<Chat.Server.Web.Dashboard.AdminToken>()?.Value
        ?? throw new InvalidOperationException("this server has no HTTP listener (set Chat:HttpPort)");

    internal ChatHub Hub => _app.Services.GetRequiredService<ChatHub>();

    internal CommandDispatcher Dispatcher => _app.Services.GetRequiredService<CommandDispatcher>();

    /// <summary>The server's services, for a test that needs one of them (its meter factory, say).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="timeProvider"/> replaces its clock (a fake one, for time-based tests).</summary>
    public static async Task<TestServer> StartAsync(IDictionary<string, string?>? settings = null, TimeProvider? timeProvider = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Chat:Host"] = "127.0.0.1",
            ["Chat:Port"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            // No admin socket unless a test asks for one (on a path of its own), so servers in
            // parallel tests never share one.
            ["Chat:AdminSocketPath"] = string.Empty,
            // No HTTP listener unless a test asks for one ("0" for a free port): the default 8080
            // would be shared by servers in parallel tests.
            ["Chat:HttpPort"] = "-1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = ChatServerHost.Build(all, ownsProcess: false, timeProvider);
        await app.StartAsync();
        return new TestServer(app, ChatServerHost.GetListenEndPoint(app), ChatServerHost.GetTlsEndPoint(app));
    }

    /// <summary>Runs one operator command and returns what it printed, without the final newline.</summary>
    public string RunCommand(string line)
    {
        using var output = new StringWriter();
        Dispatcher.Execute(line, output);
        return output.ToString().TrimEnd('\n');
    }

    public Task<TestConnection> ConnectRawAsync() => TestConnection.ConnectAsync(EndPoint);

    /// <summary>Connects to the TLS port and expects an accepted handshake.</summary>
    public async Task<TestConnection> ConnectTlsAsync()
    {
        var connection = await TestConnection.ConnectTlsAsync(TlsEndPoint);
        var handshake = await connection.ReceiveHandshakeAsync();
        if (handshake.Error)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"handshake refused: {handshake.Refusal} {handshake.Reason}");
        }

        return connection;
    }

    /// <summary>Connects and expects an accepted handshake.</summary>
    public async Task<TestConnection> ConnectAsync()
    {
        var connection = await ConnectRawAsync();
        var handshake = await connection.ReceiveHandshakeAsync();
        if (handshake.Error)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"handshake refused: {handshake.Refusal} {handshake.Reason}");
        }

        return connection;
    }

    /// <summary>Waits until exactly <paramref name="count"/> users are connected.</summary>
    public async Task WaitForUserCountAsync(int count)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            await Hub.WhenUserCountAsync(count, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server did not reach {count} users; it has {Hub.Registry.Count}");
        }
    }

    /// <summary>
    /// Cluster mode: waits until this node's view satisfies <paramref name="condition"/> (its
    /// directory, link state and count), re-checking on every change the node reports.
    /// </summary>
    public async Task WaitForClusterAsync(Func<TestServer, bool> condition, string what)
    {
        var presence = Hub.Presence ?? throw new InvalidOperationException("not a cluster node");
        var changed = new SemaphoreSlim(0);
        void OnChanged() => changed.Release();
        presence.Changed += OnChanged;
        Hub.Registry.CountChanged += OnCountChanged;
        try
        {
            using var deadline = new CancellationTokenSource(TestTimeouts.Default);
            while (!condition(this))
            {
                try
                {
                    await changed.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"node {presence.NodeName} never saw {what}: {ClusterUserCount} users, linked {presence.IsLinked}");
                }
            }
        }
        finally
        {
            presence.Changed -= OnChanged;
            Hub.Registry.CountChanged -= OnCountChanged;
        }

        void OnCountChanged(int _) => changed.Release();
    }

    /// <summary>Cluster mode: the users this node counts, here and on every other live node.</summary>
    public int ClusterUserCount => Hub.Registry.Count + (Hub.Presence?.RemoteUserCount ?? 0);

    /// <summary>Cluster mode: true while the node is linked to Redis.</summary>
    public bool IsLinked => Hub.Presence?.IsLinked ?? false;

    /// <summary>Starts a graceful shutdown, as the operator's <c>shutdown</c> does.</summary>
    public void RequestShutdown(TimeSpan drainTime) =>
        _app.Services.GetRequiredService<IServerControl>().RequestShutdown(drainTime);

    /// <summary>Completes when the server asked its host to stop, as it does once a drain is over.</summary>
    public async Task WaitForStopRequestAsync()
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = _app.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        try
        {
            await stopping.Task.WaitAsync(TestTimeouts.Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("the server did not ask its host to stop in time");
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        await _app.StopAsync(deadline.Token);
        await _app.DisposeAsync();
    }

}
