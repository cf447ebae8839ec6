using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Chat.TestKit;

namespace Chat.Server.Tests.Browser;

/// <summary>
/// Another program on the same host, on a port of its own (a student's server beside the
/// teacher's): it records the head of every HTTP request it gets and answers each with a small page.
/// </summary>
internal sealed class OtherPortListener : IAsyncDisposable
{
    private const string Page = "<!doctype html><title>other</title><p id=\"other\">another server</p>";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<string> _heads = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public OtherPortListener()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Where a browser reaches it.</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The head (request line and headers) of the next request for <paramref name="path"/>.</summary>
    public async Task<string> NextRequestAsync(string path)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var head = await _heads.Reader.ReadAsync(deadline.Token);
            if (head.StartsWith($"GET {path} ", StringComparison.Ordinal))
            {
                return head;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    // Each connection on its own: a browser may open one it sends nothing on (a preconnect).
    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }

            await _heads.Writer.WriteAsync(head.ToString(), _stop.Token);
            var body = Encoding.UTF8.GetBytes(Page);
            var reply = $"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.Latin1.GetBytes(reply), _stop.Token);
            await stream.WriteAsync(body, _stop.Token);
        }
    }
}
