using System.Net;
using Chat.Conform.Checks;
using Chat.Conform.Running;

namespace Chat.Conform.Tests;

/// <summary>Runs the suite in this process against a server on <see cref="IPEndPoint"/>, the way the command line does.</summary>
internal static class ConformRun
{
    /// <summary>The user limit every server in these tests runs with.</summary>
    public const int MaxUsers = 5;

    /// <summary>Against the in-process faulty server: the tool's default, since a failing check often waits it out.</summary>
    public static readonly TimeSpan FaultyServerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Against our server on a busy machine: a passing check never waits this out.</summary>
    public static readonly TimeSpan OurServerTimeout = TimeSpan.FromSeconds(5);

    public static IEnumerable<string> CheckNames => CheckCatalog.All.Select(check => check.Name);

    public static async Task<CheckResult> CheckAsync(string name, IPEndPoint endPoint, IServerProcess? process, TimeSpan timeout)
    {
        var report = await LevelAsync(CheckLevel.Contract, endPoint, process, timeout, [name]);
        return Assert.Single(report.Results);
    }

    public static Task<ConformanceReport> LevelAsync(
        CheckLevel level, IPEndPoint endPoint, IServerProcess? process, TimeSpan timeout, IReadOnlyList<string>? only = null)
    {
        var settings = ConformSettings.For(endPoint) with { Level = level, Only = only ?? [], MaxUsers = MaxUsers, Timeout = timeout };
        return ConformanceRunner.RunAsync(settings, CheckCatalog.Select(settings.Level, settings.Only), process, null, CancellationToken.None);
    }

    /// <summary>"FAIL echo: why", for an assertion message.</summary>
    public static string Describe(CheckResult result) => $"{result.Status} {result.Check.Name}: {result.Detail}";
}
