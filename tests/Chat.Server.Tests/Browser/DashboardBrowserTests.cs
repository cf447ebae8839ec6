using System.Text.RegularExpressions;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests.Browser;

/// <summary>Issue 11, item 4: the operator dashboard in a real browser, watching and steering a live server.</summary>
public class DashboardBrowserTests
{
    [Fact]
    public async Task DashboardCountsUsersKicksAPageSaysAndSetsALimit()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        var address = new Uri($"http://{server.HttpEndPoint}/");
        using var driver = ChatBrowser.Start();
        var dashboard = DashboardPage.Open(driver, address, server.AdminToken);

        // Signed in through the URL's fragment, and the token is gone from the address bar.
        Assert.Equal(new Uri(address, "/admin"), new Uri(dashboard.Url));
        dashboard.WaitForUserCount(0);

        // Three users: a chat page and two terminals.
        var page = ChatPage.Open(driver, address, newWindow: true);
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        dashboard.WaitForUserCount(3);
        dashboard.WaitForUsers(page.Id, first.Id, second.Id);
        dashboard.WaitForRow("users", page.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "ws");

        // Some traffic for the charts, then the kick, from the keyboard.
        for (var i = 0; i < 20; i++)
        {
            await first.SendAsync(-1, $"line {i}");
        }

        dashboard.Kick(page.Id);

        // The page shows its session ended: the operator's notice, and a new session after it.
        page.WaitForMessage("server, to me", "you were disconnected by the operator");
        var again = ChatPage.WaitForStatus(driver, new Regex($@"^(connection lost|you are user (?!{page.Id}$)\d+$)"));
        Assert.NotEqual($"you are user {page.Id}", again);
        dashboard.WaitForResult("kick-result", $"kicked user {page.Id}");
        dashboard.WaitForRow("closed", page.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "Kicked");

        // Say reaches every user: the terminals, and the page once it is back.
        await server.WaitForUserCountAsync(3);
        await DrainAsync(first, 20);
        await DrainAsync(second, 20);
        dashboard.Say("hello from the dashboard");
        Assert.Equal(new ChatMessage { From = 0, To = first.Id, Msg = "hello from the dashboard" }, await first.ReceiveMessageAsync());
        Assert.Equal(new ChatMessage { From = 0, To = second.Id, Msg = "hello from the dashboard" }, await second.ReceiveMessageAsync());
        page.WaitForMessage("server, to me", "hello from the dashboard");
        dashboard.WaitForResult("say-result", "sent to 3 users");

        // A limit, changed from the dashboard, is the server's.
        dashboard.SetLimit("max.users", 50);
        dashboard.WaitForResult("set-result", "max.users: 10,000 → 50");
        dashboard.WaitForRow("limits", "max.users", "50");
        Assert.Equal(50, server.Hub.MaxUsers);

        Assert.InRange(dashboard.ChartPoints("rate-chart"), 1, 600);
        Assert.StartsWith("live: updated", dashboard.Status, StringComparison.Ordinal);
        dashboard.SaveScreenshot(Path.Combine(AppContext.BaseDirectory, "dashboard.png"), 1100, 1300);
        dashboard.SaveScreenshot(Path.Combine(AppContext.BaseDirectory, "dashboard-phone.png"), 400, 2000);
    }

    [Fact]
    public async Task WithoutTheTokenThePageAsksForItAndKeepsItForThisTabOnly()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:HttpPort"] = "0" });
        var address = new Uri($"http://{server.HttpEndPoint}/");
        using var driver = ChatBrowser.Start();

        var dashboard = DashboardPage.OpenSignedOut(driver, address);
        Assert.False(dashboard.ShowsBoard);
        Assert.StartsWith("signed out: no token yet", dashboard.Status, StringComparison.Ordinal);

        // A wrong token: the API answers 401 and the page asks again, showing nothing of the server.
        dashboard.SignIn("not-the-token-0123456789");
        dashboard.WaitForSignIn();
        Assert.StartsWith("signed out: the server does not take this token", dashboard.Status, StringComparison.Ordinal);
        Assert.False(dashboard.ShowsBoard);

        dashboard.SignIn(server.AdminToken);
        dashboard.WaitUntilLive();
        dashboard.WaitForUserCount(0);
        Assert.True(dashboard.ShowsBoard);
        Assert.Empty(driver.Manage().Cookies.AllCookies);

        // A reload keeps it (the tab's sessionStorage); a new tab of its own has to sign in again.
        driver.Navigate().Refresh();
        dashboard.WaitUntilLive();
        driver.SwitchTo().NewWindow(OpenQA.Selenium.WindowType.Tab);
        DashboardPage.OpenSignedOut(driver, address);
    }

    // The messages a terminal got from the other's broadcast, before the next assertion reads its own.
    private static async Task DrainAsync(TestConnection connection, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await connection.ReceiveMessageAsync();
        }
    }
}
