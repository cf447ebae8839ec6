using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>Settings come from appsettings.json, then the environment, then the command line; each key on its own.</summary>
public sealed class ConfigurationPrecedenceTests : IDisposable
{
    private readonly string _programs = ProgramProcess.CopyProgramsToTempFolder();

    public ConfigurationPrecedenceTests() => File.WriteAllText(
        Path.Combine(_programs, "appsettings.json"),
        """{ "Chat": { "Host": "127.0.0.1", "Port": 0, "MaxUsers": 3, "MaxConnectionsPerAddress": 7 }, "Logging": { "LogLevel": { "Default": "Warning" } } }""");

    [Theory]
    [InlineData(false, false, "max.users: 3 -> 1", "max.per.address: 7 -> 1")]
    [InlineData(true, false, "max.users: 4 -> 1", "max.per.address: 7 -> 1")]
    [InlineData(true, true, "max.users: 5 -> 1", "max.per.address: 7 -> 1")]
    public async Task EnvironmentWinsOverTheFileAndTheCommandLineWinsOverBoth(bool environment, bool commandLine, string maxUsers, string maxPerAddress)
    {
        var variables = environment ? new Dictionary<string, string> { ["Chat__MaxUsers"] = "4" } : [];
        string[] arguments = commandLine ? ["--max-users", "5"] : [];
        await using var server = ProgramProcess.StartFrom(_programs, "chat-server", variables, arguments);
        await server.WaitForErrorAsync(line => line.StartsWith("chat-server listening on", StringComparison.Ordinal));

        // A change answers with the value before it: the one the server started with.
        await server.WriteLineAsync("set max.users 1");
        Assert.Equal(maxUsers, (await server.ReadOutputLineAsync()).Split(" (", 2)[0]);
        await server.WriteLineAsync("set max.per.address 1");
        Assert.Equal(maxPerAddress, (await server.ReadOutputLineAsync()).Split(" (", 2)[0]);

        await server.WriteLineAsync("shutdown 0");
        Assert.StartsWith("shutting down", await server.ReadOutputLineAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    public void Dispose() => Directory.Delete(_programs, recursive: true);
}
