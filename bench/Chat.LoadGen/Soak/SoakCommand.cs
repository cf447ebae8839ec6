using System.CommandLine;
using System.Globalization;
using System.Net;

namespace Chat.LoadGen.Soak;

/// <summary>The <c>chat-bench soak</c> command line.</summary>
internal static class SoakCommand
{
    // A soak is long, but it still ends by itself.
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    private const int MaxClients = 19_000;

    public static Command Create(Func<List<string>, Task<int>> refuse)
    {
        var host = new Option<string>("--host") { Description = "server address, loopback only (default 127.0.0.1)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "server port", Required = true };
        var clients = new Option<int>("--connections", "-c") { Description = "clients connected at once (default 50)", DefaultValueFactory = _ => 50 };
        var duration = new Option<string>("--duration", "-d") { Description = "how long: minutes, or with a unit: 20s, 10m (default 1m)", DefaultValueFactory = _ => "1m" };
        var rate = new Option<double>("--rate") { Description = "messages per second from all clients together (default 200)", DefaultValueFactory = _ => 200 };
        var mix = new Option<string>("--mix") { Description = "weights of direct, broadcast and to-self messages (default 6:2:2)", DefaultValueFactory = _ => "6:2:2" };
        var lifetime = new Option<double>("--lifetime") { Description = "mean seconds a client stays before it leaves and a new one joins (default 30; 0: no churn)", DefaultValueFactory = _ => 30 };
        var adminSocket = new Option<string>("--admin-socket") { Description = "the server's admin socket, polled for num.users and list.users", Required = true };
        var serverPid = new Option<int?>("--server-pid") { Description = "the server's process id, for its memory (default: the admin socket's peer)" };
        var poll = new Option<double>("--poll") { Description = "seconds between polls of the admin socket (default 1)", DefaultValueFactory = _ => 1 };
        var sample = new Option<double>("--sample-every") { Description = "seconds between progress lines with the server's memory (default 10)", DefaultValueFactory = _ => 10 };
        var command = new Command("soak", "C clients for a duration, with churn: every echo and delivery checked for loss, duplication and reordering, and num.users against the tool's own count");
        foreach (var option in new Option[] { host, port, clients, duration, rate, mix, lifetime, adminSocket, serverPid, poll, sample })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            var problems = new List<string>();
            if (!IPAddress.TryParse(parse.GetValue(host), out var address) || !IPAddress.IsLoopback(address))
            {
                problems.Add("--host must be a loopback address such as 127.0.0.1");
                address = IPAddress.Loopback;
            }

            if (parse.GetValue(port) is < 1 or > 65535)
            {
                problems.Add("--port must be between 1 and 65535");
            }

            if (parse.GetValue(clients) is < 1 or > MaxClients)
            {
                problems.Add($"--connections must be between 1 and {MaxClients}");
            }

            var length = TryParseDuration(parse.GetValue(duration) ?? "");
            if (length is not { } span || span <= TimeSpan.Zero || span > MaxDuration)
            {
                problems.Add($"--duration must be a time such as 20s or 10m, at most {MaxDuration.TotalHours} hours");
            }

            if (parse.GetValue(rate) is <= 0 or > 1_000_000 or double.NaN)
            {
                problems.Add("--rate must be between 0 and 1000000 messages per second");
            }

            var shares = MessageMix.TryParse(parse.GetValue(mix) ?? "");
            if (shares is null)
            {
                problems.Add("--mix must be three non-negative weights D:B:S with a positive sum, such as 6:2:2");
            }

            if (parse.GetValue(lifetime) is < 0 or > 86_400 or double.NaN)
            {
                problems.Add("--lifetime must be between 0 and 86400 seconds");
            }

            if (parse.GetValue(poll) is < 0.1 or > 3600 or double.NaN || parse.GetValue(sample) is < 1 or > 3600 or double.NaN)
            {
                problems.Add("--poll must be between 0.1 and 3600 seconds, --sample-every between 1 and 3600");
            }

            if (problems.Count > 0)
            {
                return refuse(problems);
            }

            return SoakRun.RunAsync(
                new SoakSettings(
                    new IPEndPoint(address, parse.GetValue(port)),
                    parse.GetValue(clients),
                    length!.Value,
                    parse.GetValue(rate),
                    shares!,
                    TimeSpan.FromSeconds(parse.GetValue(lifetime)),
                    parse.GetValue(adminSocket)!,
                    parse.GetValue(serverPid),
                    TimeSpan.FromSeconds(parse.GetValue(poll)),
                    TimeSpan.FromSeconds(parse.GetValue(sample))),
                token);
        });
        return command;
    }

    /// <summary>Reads <c>20s</c>, <c>10m</c> or a bare number of minutes; null when it is none of these.</summary>
    internal static TimeSpan? TryParseDuration(string text)
    {
        var (number, unit) = text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 60.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value < 1e7
            ? TimeSpan.FromSeconds(value * unit)
            : null;
    }
}
