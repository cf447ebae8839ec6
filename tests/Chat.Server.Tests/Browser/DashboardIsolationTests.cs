using Chat.TestKit;

namespace Chat.Server.Tests.Browser;

/// <summary>
/// Browsers share cookies between the ports of one host, so a token kept in a cookie reached every
/// other server the operator's browser visited there. Signed in, the browser keeps it in storage
/// of this origin only (scheme, host and port), and another port never sees it.
/// </summary>
public class DashboardIsolationTests
{
    [Theory]
    [InlineData("/admin#token=")]
    [InlineData("/admin?token=")]
    public async Task ASignedInBrowserHoldsNoCookieAndSendsTheTokenToNoOtherPort(string signIn)
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        await using var other = new OtherPortListener();
        var address = new Uri($"http://{server.HttpEndPoint}/");
        using var driver = ChatBrowser.Start();

        var dashboard = DashboardPage.Open(driver, new Uri(address, signIn + Uri.EscapeDataString(server.AdminToken)));
        dashboard.WaitForUserCount(0);

        Assert.Equal(new Uri(address, "/admin"), new Uri(dashboard.Url));
        Assert.Empty(driver.Manage().Cookies.AllCookies);
        driver.Navigate().GoToUrl(other.Address);
        var head = await other.NextRequestAsync("/");
        Assert.DoesNotContain(server.AdminToken, head, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nCookie:", head, StringComparison.OrdinalIgnoreCase);
    }
}
