using Chat.Protocol;

namespace Chat.Client.Console;

/// <summary>
/// Sends typed lines and prints incoming frames as they arrive, counting the echoes it is owed so
/// that piped input ends only once every line made its round trip. A connection that fails is said
/// in one line on the error output; once the connection has ended, the next typed line leaves.
/// </summary>
internal sealed class ConsoleSession
{
    private readonly ChatClient _client;
    private readonly TextWriter _output;
    private readonly TextWriter _errors;
    private readonly Lock _gate = new();
    private long _echoes;
    private TaskCompletionSource? _echoWaiter;
    private long _echoTarget;
    private volatile bool _leaving;
    private volatile bool _ended;
    private int _failed;

    public ConsoleSession(ChatClient client, TextWriter output, TextWriter errors)
    {
        _client = client;
        _output = output;
        _errors = errors;
    }

    /// <summary>The connection failed (it has been said on the error output), rather than ended or was left.</summary>
    public bool Failed => Volatile.Read(ref _failed) != 0;

    /// <summary>How many of our own messages came back.</summary>
    public long Echoes
    {
        get
        {
            lock (_gate)
            {
                return _echoes;
            }
        }
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the program is stopping; the connection did not fail.
        }
        catch (ProtocolViolationException exception)
        {
            Fail($"protocol error: {exception.Message}");
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or
            InvalidOperationException)
        {
            // Disposing the client to leave ends the read with one of these too; only a failure is news.
            Fail($"connection lost: {exception.Message}");
        }
        finally
        {
            _ended = true;
        }
    }

    /// <summary>Sends lines until input ends, the user types /quit, or the connection has ended; returns how many were sent.</summary>
    public async Task<long> SendLinesAsync(TextReader input, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (_ended)
            {
                break;
            }

            var parsed = InputLine.Parse(line);
            if (parsed.Error is not null)
            {
                await _errors.WriteLineAsync(parsed.Error);
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
                    Fail($"cannot send: {exception.Message}");
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

    // Says once, in one line, why the conversation failed; unless we are leaving, which ends reads too.
    private void Fail(string reason)
    {
        if (_leaving || Interlocked.Exchange(ref _failed, 1) != 0)
        {
            return;
        }

        lock (_gate)
        {
            _errors.WriteLine(reason);
            _errors.Flush();
        }
    }
}
