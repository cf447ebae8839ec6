using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chat.Server.Web.Dashboard;

/// <summary>
/// Who may use the operator API: whoever shows the <see cref="AdminToken"/> as
/// <c>Authorization: Bearer TOKEN</c>, and nothing else. Never a cookie: a browser sends a host's
/// cookies to every port of that host, so a cookie would hand the token to any other server the
/// operator's browser visits there (students' servers beside a teacher's). The dashboard's script
/// keeps the token in storage of its own origin, which includes the port, and sends the header;
/// as a browser never adds that header by itself, another site cannot make a request with it.
/// </summary>
internal sealed partial class AdminGate
{
    private readonly AdminToken _token;
    private readonly ILogger _logger;

    public AdminGate(AdminToken token, ILoggerFactory loggerFactory)
    {
        _token = token;
        _logger = loggerFactory.CreateLogger("Chat.Server.Dashboard");
    }

    /// <summary>The logger for what the dashboard and its API do.</summary>
    public ILogger Logger => _logger;

    /// <summary>How the request proved it is the operator's, if it did.</summary>
    public AdminCredential Check(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            return AdminCredential.Missing;
        }

        var value = authorization.ToString();
        const string scheme = "Bearer ";
        return value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && _token.Matches(value[scheme.Length..].Trim())
            ? AdminCredential.Bearer
            : AdminCredential.Wrong;
    }

    /// <summary>True when <paramref name="candidate"/> (from an old link's <c>/admin?token=</c>) is the token.</summary>
    public bool Matches(string? candidate) => _token.Matches(candidate);

    /// <summary>Answers 401 and logs it, with the remote address and never the token.</summary>
    public async Task RefuseAsync(HttpContext context, AdminCredential credential, bool json)
    {
        var why = credential == AdminCredential.Missing ? "no token" : "wrong token";
        LogRefused(_logger, context.Request.Method, context.Request.PathBase + context.Request.Path, Remote(context), why);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer";
        response.Headers.CacheControl = "no-store";
        var text = $"401 Unauthorized ({why}): open the dashboard with the URL the server printed at start (/admin#token=...), or send Authorization: Bearer TOKEN";
        if (json)
        {
            await OperatorApi.WriteErrorAsync(response, StatusCodes.Status401Unauthorized, text);
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(text + "\n");
    }

    /// <summary>The client's address for the log.</summary>
    public static string Remote(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? $"{address}:{context.Connection.RemotePort}" : "-";

    [LoggerMessage(701, LogLevel.Warning, "Dashboard: refused {Method} {Path} from {RemoteAddress}: {Why}", EventName = "DashboardUnauthorized")]
    private static partial void LogRefused(ILogger logger, string method, string path, string remoteAddress, string why);
}
