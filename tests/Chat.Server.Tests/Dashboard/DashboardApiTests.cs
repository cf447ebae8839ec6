using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests.Dashboard;

/// <summary>Issue 11, item 4: the dashboard at /admin and its API at /api let only the operator in.</summary>
public partial class DashboardApiTests
{
    private const string Token = "test-token-0123456789abcdef";

    [Theory]
    [InlineData("/api/num.users")]
    [InlineData("/api/")]
    [InlineData("/api/no.such.command")]
    public async Task WithoutTheTokenOrWithAWrongOneTheApiIs401(string path)
    {
        await using var server = await StartAsync();
        using var http = Client(server);

        using var none = await http.GetAsync(new Uri(path, UriKind.Relative));
        using var wrongBearer = await SendAsync(http, HttpMethod.Get, path, bearer: "not-the-token-0123456789");
        using var wrongCookie = await SendAsync(http, HttpMethod.Get, path, cookie: "not-the-token-0123456789");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongBearer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCookie.StatusCode);
        Assert.Equal("Bearer", string.Join(' ', none.Headers.WwwAuthenticate));
    }

    [Fact]
    public async Task AWrongTokenInTheUrlIs401AndSetsNoCookie()
    {
        await using var server = await StartAsync();
        using var http = Client(server);

        using var response = await http.GetAsync(new Uri("/admin?token=not-the-token-0123456789", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task PostsWithoutTheTokenAre401AndDoNothing()
    {
        await using var server = await StartAsync();
        await using var user = await server.ConnectAsync();
        using var http = Client(server);

        using var kick = await SendAsync(http, HttpMethod.Post, "/api/kick", body: $$"""{"args": [{{user.Id}}]}""");

        Assert.Equal(HttpStatusCode.Unauthorized, kick.StatusCode);
        Assert.Equal("1", server.RunCommand("num.users"));
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/")]
    [InlineData("/admin/index.html")]
    public async Task ThePageNeedsNoTokenAndKeepsItsStrictPolicy(string path)
    {
        await using var server = await StartAsync();
        using var http = Client(server);

        // The page holds no secret: its script asks for the token and sends it to the API only.
        using var page = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("no-referrer", string.Join(' ', page.Headers.GetValues("Referrer-Policy")));
        Assert.False(page.Headers.Contains("Set-Cookie"));
        Assert.Contains("/admin/dashboard.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiTakesTheTokenAsBearer()
    {
        await using var server = await StartAsync();
        using var http = Client(server);

        using var count = await SendAsync(http, HttpMethod.Get, "/api/num.users", bearer: Token);

        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.Equal("application/json", count.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"users\":0}", (await count.Content.ReadAsStringAsync()).TrimEnd());
        Assert.False(count.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task OnlyGetAndHeadReachThePage()
    {
        await using var server = await StartAsync();
        using var http = Client(server);

        using var post = await SendAsync(http, HttpMethod.Post, "/admin", bearer: Token, body: "{}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Theory]
    [InlineData("/admin/")]
    [InlineData("/admin/dashboard.js")]
    [InlineData("/admin/api.js")]
    [InlineData("/admin/chart.js")]
    [InlineData("/admin/signin.js")]
    [InlineData("/admin/token.js")]
    [InlineData("/admin/dashboard.css")]
    public async Task DashboardFilesLoadNothingFromElsewhereAndShowServerTextAsText(string path)
    {
        await using var server = await StartAsync();
        using var http = Client(server);

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.NotEmpty(text);
        Assert.Empty(ExternalReference().Matches(text));
        Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
        Assert.DoesNotContain("eval(", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOldCookieSignsNothingIn()
    {
        await using var server = await StartAsync();
        await using var user = await server.ConnectAsync();
        using var http = Client(server);
        var self = $"http://{server.HttpEndPoint}";

        // The cookie a browser may still hold from before, even with everything the dashboard once sent beside it.
        using var read = await SendAsync(http, HttpMethod.Get, "/api/num.users", cookie: Token);
        using var kick = await SendAsync(http, HttpMethod.Post, "/api/kick", cookie: Token, body: $$"""{"args": [{{user.Id}}]}""",
            headers: new() { ["Origin"] = self, ["X-Chat-Admin"] = "1", ["Sec-Fetch-Site"] = "same-origin" });

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, kick.StatusCode);
        Assert.Equal("1", server.RunCommand("num.users"));
    }

    [Fact]
    public async Task AnOldLinkWithTheTokenInTheQueryMovesItToTheFragmentAndSetsNoCookie()
    {
        await using var server = await StartAsync();
        using var http = Client(server);

        using var signIn = await http.GetAsync(new Uri($"/admin?token={Token}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal($"/admin#token={Token}", signIn.Headers.Location?.OriginalString);
        Assert.False(signIn.Headers.Contains("Set-Cookie"));
        Assert.Equal("no-referrer", string.Join(' ', signIn.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("no-store", signIn.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("kick", "?arg={0}")]
    [InlineData("kick", "?arg={0}&arg=spamming")]
    [InlineData("say", "?arg=hello")]
    [InlineData("set", "?arg=max.users&arg=1")]
    [InlineData("set", "?arg=max.users%201")]
    [InlineData("shutdown", "")]
    [InlineData("reload.tls", "")]
    public async Task AGetCannotAct(string command, string query)
    {
        await using var server = await StartAsync();
        await using var user = await server.ConnectAsync();
        using var http = Client(server);
        var path = $"/api/{command}{query.Replace("{0}", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)}";

        using var response = await SendAsync(http, HttpMethod.Get, path, bearer: Token);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(',', response.Content.Headers.Allow));
        Assert.Equal("1", server.RunCommand("num.users"));
        Assert.Equal(10_000, server.Hub.MaxUsers);
        // Nothing was said or sent to the user: the next frame is the echo of its own message.
        await user.SendAsync(user.Id, "still here");
        Assert.Equal("still here", (await user.ReceiveMessageAsync()).Msg);
    }

    [Fact]
    public async Task TheApiAnswersWhatTheConsoleAnswersInJson()
    {
        await using var server = await StartAsync();
        await using var user = await server.ConnectAsync();
        using var http = Client(server);

        foreach (var command in new[] { "num.users", "list.users", "closed.users", "set", "help" })
        {
            using var response = await SendAsync(http, HttpMethod.Get, $"/api/{command}", bearer: Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var fromApi = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            using var fromConsole = JsonDocument.Parse(server.RunCommand($"{command} --json"));
            Assert.Equal(Shape(fromConsole.RootElement), Shape(fromApi.RootElement));
        }

        using var show = await SendAsync(http, HttpMethod.Get, $"/api/show.user?arg={user.Id}", bearer: Token);
        Assert.Equal(user.Id, JsonDocument.Parse(await show.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64());

        using var say = await SendAsync(http, HttpMethod.Post, "/api/say", bearer: Token, body: """{"args": ["hello from", "the API"]}""");
        Assert.Equal("{\"reached\":1}", (await say.Content.ReadAsStringAsync()).TrimEnd());
        Assert.Equal(new ChatMessage { From = 0, To = user.Id, Msg = "hello from the API" }, await user.ReceiveMessageAsync());

        using var set = await SendAsync(http, HttpMethod.Post, "/api/set", bearer: Token, body: """{"args": ["max.users", 50]}""");
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(50, server.Hub.MaxUsers);
    }

    [Fact]
    public async Task BadRequestsGetAJsonErrorAndChangeNothing()
    {
        await using var server = await StartAsync();
        using var http = Client(server);

        using var unknown = await SendAsync(http, HttpMethod.Get, "/api/no.such.command", bearer: Token);
        using var badValue = await SendAsync(http, HttpMethod.Post, "/api/set", bearer: Token, body: """{"args": ["max.users", "lots"]}""");
        using var badBody = await SendAsync(http, HttpMethod.Post, "/api/set", bearer: Token, body: """{"args": "max.users 5"}""");
        using var notJson = await SendAsync(http, HttpMethod.Post, "/api/set", bearer: Token, body: "max.users 5", contentType: "text/plain");
        using var noUser = await SendAsync(http, HttpMethod.Post, "/api/kick", bearer: Token, body: """{"args": [99]}""");
        using var put = await SendAsync(http, HttpMethod.Put, "/api/num.users", bearer: Token);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badValue.StatusCode);
        Assert.StartsWith("set: 'lots' is not a whole number", await ErrorOf(badValue), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noUser.StatusCode);
        Assert.StartsWith("kick: no user 99", await ErrorOf(noUser), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        Assert.Equal(10_000, server.Hub.MaxUsers);
    }

    [Fact]
    public async Task WithoutAConfiguredTokenEachServerMakesItsOwn()
    {
        await using var first = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        await using var second = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        using var http = Client(first);

        Assert.NotEqual(first.AdminToken, second.AdminToken);
        Assert.True(first.AdminToken.Length >= 40);
        using var mine = await SendAsync(http, HttpMethod.Get, "/api/num.users", bearer: first.AdminToken);
        using var theirs = await SendAsync(http, HttpMethod.Get, "/api/num.users", bearer: second.AdminToken);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, theirs.StatusCode);
    }

    [Fact]
    public async Task HistoryIsReadOnlyAndEveryActionIsNot()
    {
        await using var server = await StartAsync();
        var dispatcher = server.Dispatcher;

        foreach (var read in new[] { "help", "num.users", "list.users", "show.user", "closed.users", "stats", "history", "set" })
        {
            Assert.True(dispatcher.OnlyReads(read, []), read);
        }

        foreach (var action in new[] { "kick", "say", "shutdown", "reload.tls" })
        {
            Assert.False(dispatcher.OnlyReads(action, ["1"]), action);
        }

        Assert.False(dispatcher.OnlyReads("set", ["max.users", "5"]));
    }

    private static Task<TestServer> StartAsync() =>
        TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0", ["Chat:AdminToken"] = Token });

    // Redirects and cookies stay visible to the test: nothing is followed or stored for it.
    private static HttpClient Client(TestServer server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri($"http://{server.HttpEndPoint}/"),
            Timeout = TestTimeouts.Default,
        };

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpMethod method, string path, string? bearer = null, string? cookie = null, string? body = null,
        string contentType = "application/json", Dictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"chat-admin={cookie}");
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        return await http.SendAsync(request);
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").GetString()!;
    }

    // The JSON's structure without its values, which change between two calls (durations, say).
    private static string Shape(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(',', element.EnumerateObject().Select(property => $"{property.Name}:{Shape(property.Value)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(',', element.EnumerateArray().Select(Shape)) + "]",
        _ => element.ValueKind.ToString(),
    };

    // Any absolute http(s) or protocol-relative URL: the dashboard may only talk to the server it came from.
    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
