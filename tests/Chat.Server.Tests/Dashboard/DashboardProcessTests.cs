using System.Net;
using System.Text.RegularExpressions;
using Chat.TestKit;

namespace Chat.Server.Tests.Dashboard;

/// <summary>The real chat-server tells the operator where the dashboard is, as Jupyter does, and logs who was refused.</summary>
public partial class DashboardProcessTests
{
    [Fact]
    public async Task TheServerPrintsTheDashboardUrlWithAFreshTokenThatSignsIn()
    {
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0", "--http-port", "0");

        var line = await server.WaitForErrorAsync(line => line.Contains("/admin#token=", StringComparison.Ordinal));
        var url = new Uri(DashboardUrl().Match(line).Value);
        var token = url.Fragment["#token=".Length..];
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TestTimeouts.Default };

        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        // The browser asks for the page without the fragment, and the page's script sends the token to the API.
        using var page = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Set-Cookie"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/api/num.users"));
        request.Headers.Authorization = new("Bearer", token);
        using var count = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, count.StatusCode);

        // A wrong guess is refused and logged with where it came from, never with the token.
        using var guess = await http.GetAsync(new Uri(url, "/admin?token=guess"));
        Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        var refusal = await server.WaitForErrorAsync(line => line.Contains("refused GET /admin", StringComparison.Ordinal));
        Assert.Contains("from 127.0.0.1:", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("guess", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(token, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConfiguredTokenIsNeverPrinted()
    {
        const string token = "configured-token-0123456789";
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0", "--http-port", "0", "--admin-token", token);

        var line = await server.WaitForErrorAsync(line => line.Contains("Operator dashboard", StringComparison.Ordinal));
        var url = new Uri(DashboardUrl().Match(line).Value);
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/api/num.users"));
        request.Headers.Authorization = new("Bearer", token);

        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WithTheHttpListenerOffNoDashboardIsAnnounced()
    {
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0", "--http-port", "off");
        await server.WaitForErrorAsync(line => line.Contains("listening on", StringComparison.Ordinal));

        await server.WriteLineAsync("shutdown 0");

        Assert.Equal(0, await server.WaitForExitAsync());
        var log = await server.ReadRemainingErrorAsync();
        Assert.DoesNotContain("/admin", log, StringComparison.Ordinal);
        Assert.DoesNotContain("token", log, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"http://[^\s]+/admin(#token=[A-Za-z0-9_-]+)?")]
    private static partial Regex DashboardUrl();
}
