using System.Text.Json;

namespace Chat.LoadGen.Soak;

/// <summary>
/// Asks the server what its operator sees while the soak runs, and checks it against the soak's own
/// count: <c>num.users --json</c> at every poll and, every fifth, <c>list.users --json</c> (its total, and
/// that no user the soak already saw gone is listed).
/// </summary>
internal sealed class AdminPoller
{
    private const int ListEvery = 5;

    // An answer later than this is a violation; the connection is then out of step, so polling stops.
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly AdminConnection _admin;
    private readonly SoakRoster _roster;
    private bool _broken;

    public AdminPoller(AdminConnection admin, SoakRoster roster)
    {
        _admin = admin;
        _roster = roster;
    }

    /// <summary>Polls every <paramref name="interval"/> until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        for (var poll = 1; !stop.IsCancellationRequested; poll++)
        {
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await PollAsync(poll % ListEvery == 0, CancellationToken.None);
        }
    }

    /// <summary>One poll; records a violation when the server's answer is outside the soak's bounds.</summary>
    public async Task PollAsync(bool list, CancellationToken cancellationToken)
    {
        if (_broken)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerTimeout);
        cancellationToken = timeout.Token;
        try
        {
            _roster.Bounds.OpenWindow();
            _roster.Totals.Polled();
            using var count = JsonDocument.Parse(await _admin.AskAsync("num.users --json", cancellationToken));
            Record(_roster.Bounds.CloseWindow(count.RootElement.GetProperty("users").GetInt64(), "num.users"));
            if (!list)
            {
                return;
            }

            _roster.Bounds.OpenWindow();
            _roster.Totals.Polled();
            var asked = _roster.Clock.Next();
            using var users = JsonDocument.Parse(await _admin.AskAsync("list.users 1000000 --json", cancellationToken));
            Record(_roster.Bounds.CloseWindow(users.RootElement.GetProperty("total").GetInt64(), "list.users"));
            foreach (var user in users.RootElement.GetProperty("users").EnumerateArray())
            {
                var id = user.GetProperty("id").GetInt64();
                if (_roster.GoneTick(id) is { } gone && gone < asked)
                {
                    Record($"list.users shows user {id}, whose connection the server had closed before it was asked");
                }
            }
        }
        catch (Exception exception) when (exception is IOException or JsonException or KeyNotFoundException or InvalidOperationException or OperationCanceledException)
        {
            _broken = true;
            Record(exception is OperationCanceledException
                ? $"admin socket: no answer within {AnswerTimeout.TotalSeconds} s; polling stops"
                : $"admin socket: {exception.Message}; polling stops");
        }
    }

    private void Record(string? violation)
    {
        if (violation is not null)
        {
            _roster.Violation(violation);
        }
    }
}
