using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The Prometheus endpoint of the real process, scraped as a monitoring system would.</summary>
public partial class MetricsTests
{
    private const int SigTerm = 15;

    [Fact]
    public async Task AScrapeShowsTheCountersMovingAsUsersConnectAndChat()
    {
        var metricsPort = FreePort();
        await using var server = ProgramProcess.Start("chat-server", new Dictionary<string, string> { ["Logging__LogLevel__Chat.Server.Session"] = "Debug" }, "--host", "127.0.0.1", "--port", "0", "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture));
        var endPoint = await ServerProcessTests.WaitForListeningAsync(server);
        await server.WaitForErrorAsync(line => line.Contains("metrics on", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}"), Timeout = TestTimeouts.Default };

        var before = await ScrapeAsync(http);
        Assert.Equal(0, before["chat_users"]);
        Assert.Equal(0, before["chat_messages_received_total"]);

        await using var first = await TestConnection.ConnectAsync(endPoint);
        await first.ReceiveHandshakeAsync();
        var second = await TestConnection.ConnectAsync(endPoint);
        await second.ReceiveHandshakeAsync();
        await first.SendAsync(-1, "hello");
        await first.ReceiveMessageAsync();
        await second.ReceiveMessageAsync();

        var chatting = await ScrapeAsync(http);
        Assert.Equal(2, chatting["chat_users"]);
        Assert.Equal(2, chatting["chat_users_peak"]);
        Assert.Equal(2, chatting["chat_handshakes_total{outcome=\"accepted\"}"]);
        Assert.Equal(1, chatting["chat_messages_received_total"]);
        Assert.Equal(1, chatting["chat_messages_delivered_total"]);
        Assert.Equal(19, chatting["chat_received_bytes_total"]); // to = -1 takes ten bytes as a varint

        await second.DisposeAsync();
        await server.WaitForErrorAsync(line => line.Contains($"User {second.Id} disconnected", StringComparison.Ordinal));
        var after = await ScrapeAsync(http);
        Assert.Equal(1, after["chat_users"]);
        Assert.Equal(1, after["chat_disconnects_total{reason=\"ClientClosed\"}"]);
        Assert.Equal(1, after["chat_messages_delivered_total"]);
        Assert.True(after["chat_frames_sent_total"] >= 4, "two handshakes, the echo and the delivery");

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
        server.Signal(SigTerm);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Theory]
    [InlineData("--metrics-port", "70000")]
    [InlineData("--metrics-host", "metrics.example")]
    public async Task BadMetricsSettingsStopStartUpWithExitCodeTwo(string option, string value)
    {
        await using var server = ProgramProcess.Start("chat-server", "--port", "0", option, value);

        var complaint = await server.WaitForErrorAsync(line => line.StartsWith("chat-server:", StringComparison.Ordinal));

        Assert.Contains(option == "--metrics-port" ? "MetricsPort" : "MetricsHost", complaint, StringComparison.Ordinal);
        Assert.Equal(2, await server.WaitForExitAsync());
    }

    // Binding to port 0 and letting go: the port is free now, and the kernel hands out ports in turn.
    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    // Each sample keyed by its name and labels, without the otel_scope_name label every one carries.
    private static async Task<Dictionary<string, double>> ScrapeAsync(HttpClient http)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match match in Sample().Matches(text))
        {
            var labels = ScopeLabel().Replace(match.Groups["labels"].Value, string.Empty).Trim(',');
            var key = labels.Length == 0 ? match.Groups["name"].Value : $"{match.Groups["name"].Value}{{{labels}}}";
            samples[key] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    [GeneratedRegex(@"^(?<name>chat_[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"otel_scope_name=""[^""]*"",?")]
    private static partial Regex ScopeLabel();
}
