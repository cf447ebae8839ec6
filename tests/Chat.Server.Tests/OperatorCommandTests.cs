using Chat.TestKit;

namespace Chat.Server.Tests;

public class OperatorCommandTests
{
    [Fact]
    public async Task NumUsersFollowsUsersArrivingAndLeaving()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal("0", server.RunCommand("num.users"));

        var first = await server.ConnectAsync();
        Assert.Equal("1", server.RunCommand("num.users"));

        var second = await server.ConnectAsync();
        var third = await server.ConnectAsync();
        Assert.Equal("3", server.RunCommand("num.users"));

        await second.DisposeAsync();
        await server.WaitForUserCountAsync(2);
        Assert.Equal("2", server.RunCommand("num.users"));

        await first.DisposeAsync();
        await third.DisposeAsync();
        await server.WaitForUserCountAsync(0);
        Assert.Equal("0", server.RunCommand("num.users"));
    }

    [Fact]
    public async Task UnknownCommandGetsAOneLineHint()
    {
        await using var server = await TestServer.StartAsync();

        var reply = server.RunCommand("num.userz");

        Assert.Equal("unknown command 'num.userz'; type 'help' for the list", reply);
    }

    [Fact]
    public async Task EmptyLinesAreIgnored()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Equal(string.Empty, server.RunCommand("   "));
    }

    [Fact]
    public async Task HelpListsEveryCommand()
    {
        await using var server = await TestServer.StartAsync();

        var help = server.RunCommand("help");

        Assert.Contains("num.users", help, StringComparison.Ordinal);
        Assert.Contains("shutdown [seconds]", help, StringComparison.Ordinal);
        Assert.Contains("help [command]", help, StringComparison.Ordinal);
        Assert.StartsWith("num.users", server.RunCommand("help num.users"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadArgumentIsRejectedAndChangesNothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var user = await server.ConnectAsync();

        Assert.StartsWith("num.users: takes no arguments", server.RunCommand("num.users now"), StringComparison.Ordinal);
        Assert.StartsWith("shutdown: 'soon' is not a number", server.RunCommand("shutdown soon"), StringComparison.Ordinal);
        Assert.Empty(await user.BarrierAsync());
        await using var newcomer = await server.ConnectAsync();
    }
}
