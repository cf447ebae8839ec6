using System.CommandLine;
using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chat.Server;

internal static class Program
{
    // Exit codes: 0 after a clean (or graceful) stop, 2 for a bad command line or configuration.
    private const int BadConfiguration = 2;

    public static async Task<int> Main(string[] args)
    {
        var root = ChatServerCommandLine.CreateRootCommand();
        var parse = root.Parse(args);
        // The commands' own actions do nothing (they only mark them runnable); any other action
        // is --help or --version.
        if (parse.Errors.Count > 0 || parse.Action != parse.CommandResult.Command.Action)
        {
            return HandleParseOutcome(parse);
        }

        if (parse.CommandResult.Command == ChatServerCommandLine.Admin)
        {
            return await RunAdminAsync(parse, args);
        }

        try
        {
            await using var app = ChatServerHost.Build(ChatServerCommandLine.ToSettings(parse), ownsProcess: true);
            await app.StartAsync();
            var endPoint = ChatServerHost.GetListenEndPoint(app);
            await Console.Error.WriteLineAsync($"chat-server listening on {endPoint}; type 'help' for operator commands");
            if (ChatServerHost.GetTlsEndPoint(app) is { } tlsEndPoint)
            {
                var certificate = app.Services.GetRequiredService<TlsCertificateStore>().Current;
                await Console.Error.WriteLineAsync($"chat-server TLS on {tlsEndPoint} with {certificate.Describe()}");
            }

            if (app.Services.GetService<AdminSocketFile>() is { } adminSocket)
            {
                await Console.Error.WriteLineAsync($"chat-server remote console on {adminSocket.Path} ('chat-server admin')");
            }

            if (ChatServerHost.GetHttpEndPoint(app) is { } httpEndPoint)
            {
                var authority = Web.WebEndPoint.BrowserAuthority(httpEndPoint);
                var alsoTls = ChatServerHost.GetTlsEndPoint(app) is null ? string.Empty : $" and https://{authority}/";
                await Console.Error.WriteLineAsync($"chat-server chat page on http://{authority}/{alsoTls} (WebSocket sessions at /ws)");
            }

            Web.Dashboard.DashboardEndpoints.Announce(app);

            if (app.Services.GetRequiredService<IOptions<ChatServerOptions>>().Value is { MetricsPort: > 0 } options)
            {
                await Console.Error.WriteLineAsync($"chat-server metrics on http://{options.MetricsHost}:{options.MetricsPort}/metrics");
            }

            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (OptionsValidationException exception)
        {
            return ReportBadConfiguration(exception.Failures);
        }
        catch (InvalidOperationException exception) when (exception.InnerException is FormatException or OverflowException or ArgumentException)
        {
            return ReportBadConfiguration([exception.Message, exception.InnerException.Message]);
        }
        catch (IOException exception) when (exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException)
        {
            return ReportBadConfiguration([$"cannot listen: {exception.Message}"]);
        }
    }

    // The remote console: exit code 0, 1 when the command failed, 2 when the server is out of reach.
    private static async Task<int> RunAdminAsync(ParseResult parse, string[] args)
    {
        var path = parse.GetValue(ChatServerCommandLine.AdminClientSocket) ?? ConfiguredAdminSocket();
        if (AdminSocketFile.Resolve(path) is not { } socketPath)
        {
            await Console.Error.WriteLineAsync("chat-server admin: the admin socket is turned off (AdminSocketPath is empty)");
            return RemoteConsole.Unreachable;
        }

        var console = new RemoteConsole(socketPath, Console.Out, Console.Error);
        return await console.RunAsync(ChatServerCommandLine.ToAdminCommandLine(args), Console.In, prompt: !Console.IsInputRedirected);
    }

    // The path the server would take from appsettings.json and the environment, so both sides agree.
    private static string? ConfiguredAdminSocket() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build()[$"{ChatServerOptions.SectionName}:{nameof(ChatServerOptions.AdminSocketPath)}"];

    private static int HandleParseOutcome(ParseResult parse)
    {
        if (parse.Errors.Count == 0)
        {
            // --help, --version and the like print and exit 0.
            return parse.Invoke();
        }

        foreach (var error in parse.Errors)
        {
            Console.Error.WriteLine($"chat-server: {error.Message}");
        }

        Console.Error.WriteLine("Try 'chat-server --help'.");
        return BadConfiguration;
    }

    private static int ReportBadConfiguration(IEnumerable<string> failures)
    {
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"chat-server: bad configuration: {failure}");
        }

        return BadConfiguration;
    }
}
