using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The chat page at / (issue 11): served by the server itself, loading nothing from elsewhere.</summary>
public partial class ChatPageTests
{
    [Fact]
    public async Task RootServesTheChatPageThatSpeaksJsonOverWs()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://{server.HttpEndPoint}/"), Timeout = TestTimeouts.Default };

        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", string.Join(' ', page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("aria-live", html, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
        var script = await http.GetStringAsync(new Uri("chat.js", UriKind.Relative));
        Assert.Contains("chat.v1.json", script, StringComparison.Ordinal);
        Assert.Contains("/ws", script, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/chat.js")]
    [InlineData("/chat.css")]
    public async Task PageFilesReferToNoOtherHost(string path)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        using var http = new HttpClient { Timeout = TestTimeouts.Default };

        using var response = await http.GetAsync(new Uri($"http://{server.HttpEndPoint}{path}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.NotEmpty(text);
        Assert.Empty(ExternalReference().Matches(text));
    }

    [Fact]
    public async Task WithTheListenerOffThereIsNoHttpEndPoint()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Throws<InvalidOperationException>(() => server.HttpEndPoint);
    }

    [Fact]
    public async Task TheMetricsPortServesNoPageAndTheHttpPortNoMetrics()
    {
        var metricsPort = FreePort();
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Chat:HttpPort"] = "0",
            ["Chat:MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            ["Chat:MetricsHost"] = "127.0.0.1",
        });
        using var http = new HttpClient { Timeout = TestTimeouts.Default };

        using var pageOnMetrics = await http.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/"));
        using var metrics = await http.GetAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
        using var page = await http.GetAsync(new Uri($"http://{server.HttpEndPoint}/"));

        Assert.Equal(HttpStatusCode.NotFound, pageOnMetrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    // Any absolute http(s) or protocol-relative URL: the page may only talk to the server it came from.
    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
