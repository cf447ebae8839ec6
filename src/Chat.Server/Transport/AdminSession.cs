using Chat.Server.Admin;
using Chat.Server.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace Chat.Server.Transport;

/// <summary>
/// One admin console, from connect to close: reads command lines (<see cref="AdminProtocol"/>), runs
/// each through the one <see cref="CommandDispatcher"/> and writes the reply and its terminator.
/// Every wait on the console is bounded: a reply it does not read in time, and the end of the
/// connection when the server stops, abort the connection instead of holding up anything else.
/// </summary>
internal sealed partial class AdminSession
{
    /// <summary>
    /// How long a reply may wait for the console to read it before the connection is aborted.
    /// 10 seconds: <c>chat-server admin</c> reads every reply at once, so only a console that stopped
    /// reading meets it, and it then holds no connection, buffer or task for longer.
    /// </summary>
    internal static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When the server stops, how long a console has to take what was written to it before the
    /// connection is aborted. 1 second: a reading console has it in milliseconds, and a stop must
    /// not wait on one that does not read (the chat sessions' own bound is 5 s).
    /// </summary>
    internal static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    private readonly ConnectionContext _connection;
    private readonly CommandDispatcher _dispatcher;
    private readonly TimeProvider _timeProvider;
    // How long the console may send no command before it is closed; zero for no limit.
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private ITimer? _closeTimer;
    private bool _ended;

    public AdminSession(ConnectionContext connection, CommandDispatcher dispatcher, TimeProvider timeProvider, TimeSpan idleTimeout, ILogger logger)
    {
        _connection = connection;
        _dispatcher = dispatcher;
        _timeProvider = timeProvider;
        _idleTimeout = idleTimeout;
        _logger = logger;
    }

    /// <summary>Serves the console until it leaves or the server stops; never throws.</summary>
    public Task RunAsync() => RunAsync(ServeAsync);

    /// <summary>Answers the console with one error reply that says why, then closes; never throws.</summary>
    public Task RefuseAsync(string reason)
    {
        LogRefused(_logger, _connection.ConnectionId, reason);
        return RunAsync(() => WriteFailureAsync(reason));
    }

    private async Task RunAsync(Func<Task> serve)
    {
        LogOpened(_logger, _connection.ConnectionId);
        // When the host stops, Kestrel asks each connection to close.
        var closeRequested = _connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? default;
        try
        {
            using (closeRequested.Register(static state => ((AdminSession)state!).OnCloseRequested(), this))
            {
                try
                {
                    await serve();
                }
                catch (TimeoutException)
                {
                    LogNotReading(_logger, _connection.ConnectionId, WriteTimeout.TotalSeconds);
                    Abort("the console did not read its reply in time");
                }
                catch (Exception exception) when (ConnectionErrors.IsNormalEnd(exception))
                {
                    // The console went away mid-reply; nothing was left half-done on the server.
                }
                catch (Exception exception)
                {
                    LogFailed(_logger, _connection.ConnectionId, exception);
                    Abort("serving the console failed");
                }

                await FinishAsync();
            }
        }
        finally
        {
            lock (_gate)
            {
                _ended = true;
                _closeTimer?.Dispose();
            }
        }

        LogClosed(_logger, _connection.ConnectionId);
    }

    // Nothing more is read; what was written still goes out, and the transport then closes the
    // connection. A console that does not take it within WriteTimeout is aborted.
    private async Task FinishAsync()
    {
        await _connection.Transport.Input.CompleteAsync();
        await _connection.Transport.Output.CompleteAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = _connection.ConnectionClosed.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), closed);
        try
        {
            await closed.Task.WaitAsync(WriteTimeout, _timeProvider);
        }
        catch (TimeoutException)
        {
            LogNotReading(_logger, _connection.ConnectionId, WriteTimeout.TotalSeconds);
            Abort("the console did not read its last reply in time");
        }
    }

    // The server stops: an idle console ends at once; one that is being answered gets CloseTimeout.
    private void OnCloseRequested()
    {
        _connection.Transport.Input.CancelPendingRead();
        lock (_gate)
        {
            if (!_ended)
            {
                _closeTimer ??= _timeProvider.CreateTimer(
                    static state => ((AdminSession)state!).Abort("the server is stopping"), this, CloseTimeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Abort(string reason)
    {
        lock (_gate)
        {
            if (!_ended)
            {
                _connection.Abort(new ConnectionAbortedException(reason));
            }
        }
    }

    [LoggerMessage(410, LogLevel.Debug, "Admin console {ConnectionId} connected", EventName = "AdminConnected")]
    private static partial void LogOpened(ILogger logger, string connectionId);

    [LoggerMessage(411, LogLevel.Debug, "Admin console {ConnectionId} disconnected", EventName = "AdminDisconnected")]
    private static partial void LogClosed(ILogger logger, string connectionId);

    [LoggerMessage(412, LogLevel.Debug, "Admin command: {CommandLine}", EventName = "AdminCommand")]
    private static partial void LogCommand(ILogger logger, string commandLine);

    [LoggerMessage(413, LogLevel.Debug, "Admin console {ConnectionId} did not read its reply within {Seconds} s; aborted", EventName = "AdminNotReading")]
    private static partial void LogNotReading(ILogger logger, string connectionId, double seconds);

    [LoggerMessage(414, LogLevel.Debug, "Admin console {ConnectionId} refused: {Reason}", EventName = "AdminRefused")]
    private static partial void LogRefused(ILogger logger, string connectionId, string reason);

    [LoggerMessage(415, LogLevel.Debug, "Admin console {ConnectionId} sent no command for {Seconds} s; closing", EventName = "AdminIdle")]
    private static partial void LogIdle(ILogger logger, string connectionId, double seconds);

    [LoggerMessage(416, LogLevel.Error, "Admin console {ConnectionId} failed", EventName = "AdminFailed")]
    private static partial void LogFailed(ILogger logger, string connectionId, Exception exception);
}
