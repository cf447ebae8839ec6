namespace Chat.Client.Console;

/// <summary>
/// Sends typed lines and prints incoming frames as they arrive, counting the echoes it is owed so
/// that piped input ends only once every line made its round trip.
/// </summary>
internal sealed class ConsoleSession
{
    private readonly ChatClient _client;
    private readonly TextWriter _output;
    private readonly Lock _gate = new();
    private long _echoes;
    private TaskCompletionSource? _echoWaiter;
    private long _echoTarget;
    private volatile bool _leaving;

    public ConsoleSession(ChatClient client, TextWriter output)
    {
        _client = client;
        _output = output;
    }

    /// <summary>Prints every incoming frame until the server closes the connection.</summary>
    public async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _client.ReadAllAsync(cancellationToken))
            {
                lock (_gate)
                {
                    _output.WriteLine(MessageFormatter.Format(message, _client.Id));
                    _output.Flush();
                    if (message.From == _client.Id)
                    {
                        _echoes++;
                        if (_echoWaiter is not null && _echoes >= _echoTarget)
                        {
                            _echoWaiter.TrySetResult();
                        }
                    }
                }
            }

            if (!_leaving)
            {
                lock (_gate)
                {
                    _output.WriteLine("* the server closed the connection");
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or
            InvalidOperationException or Chat.Protocol.ProtocolViolationException)
        {
            if (_leaving)
            {
                return;
            }

            lock (_gate)
            {
                _output.WriteLine($"* connection ended: {exception.Message}");
            }
        }
    }

    /// <summary>Sends lines until input ends or the user types /quit; returns how many were sent.</summary>
    public async Task<long> SendLinesAsync(TextReader input, TextWriter errors, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            var parsed = InputLine.Parse(line);
            if (parsed.Error is not null)
            {
                await errors.WriteLineAsync(parsed.Error);
            }

            if (parsed.Kind == InputKind.Quit)
            {
                break;
            }

            if (parsed.Kind == InputKind.Send)
            {
                try
                {
                    await _client.SendAsync(parsed.To, parsed.Text, cancellationToken);
                    sent++;
                }
                catch (IOException exception)
                {
                    await errors.WriteLineAsync($"cannot send: {exception.Message}");
                    break;
                }
            }
        }

        return sent;
    }

    /// <summary>We are closing on purpose: the end of the connection is no news to print.</summary>
    public void Leave() => _leaving = true;

    /// <summary>Waits until <paramref name="sent"/> echoes arrived, the connection ended, or the time ran out.</summary>
    public async Task<bool> WaitForEchoesAsync(long sent, TimeSpan timeout, Task receiving)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _echoTarget = sent;
            _echoWaiter = waiter;
            if (_echoes >= sent)
            {
                return true;
            }
        }

        await Task.WhenAny(waiter.Task, receiving, Task.Delay(timeout));
        return waiter.Task.IsCompleted;
    }
}
