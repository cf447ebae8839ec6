using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chat.Server.Web.Dashboard;

/// <summary>
/// Who may use the dashboard and its API: whoever shows the <see cref="AdminToken"/>, as
/// <c>Authorization: Bearer TOKEN</c> or as the cookie that opening <c>/admin?token=TOKEN</c> sets.
/// A browser sends that cookie along with requests other pages make, so an action (a POST) that
/// comes with the cookie alone must also prove it comes from the dashboard itself: the header only
/// its script sets (another site's script cannot set it without a CORS preflight, which this server
/// never grants), and, when the browser says where the request comes from, this server's origin.
/// </summary>
internal sealed partial class AdminGate
{
    /// <summary>The cookie that carries the token: HttpOnly, SameSite=Strict, Path=/, Secure under TLS.</summary>
    public const string CookieName = "chat-admin";

    /// <summary>The header the dashboard's script sets on every request; required on a POST signed in by cookie.</summary>
    public const string RequestHeader = "X-Chat-Admin";

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
        var request = context.Request;
        if (request.Headers.Authorization.Count > 0)
        {
            var value = request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            return value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && _token.Matches(value[scheme.Length..].Trim())
                ? AdminCredential.Bearer
                : AdminCredential.Wrong;
        }

        if (request.Cookies.TryGetValue(CookieName, out var cookie))
        {
            return _token.Matches(cookie) ? AdminCredential.Cookie : AdminCredential.Wrong;
        }

        return AdminCredential.Missing;
    }

    /// <summary>True when <paramref name="candidate"/> (from <c>/admin?token=</c>) is the token.</summary>
    public bool Matches(string? candidate) => _token.Matches(candidate);

    /// <summary>Sets the cookie that lets the browser in from now on.</summary>
    public static void SignIn(HttpContext context, string token) =>
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Secure = context.Request.IsHttps,
            IsEssential = true,
        });

    /// <summary>
    /// Null when a POST signed in by cookie comes from the dashboard's own script; otherwise why
    /// it may not (another site's page, or a form), for the log and the reply.
    /// </summary>
    public static string? WhyForged(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (headers[RequestHeader].Count == 0)
        {
            return $"no {RequestHeader} header";
        }

        var self = $"{context.Request.Scheme}://{context.Request.Host}";
        if (headers.Origin.Count > 0 && !string.Equals(headers.Origin.ToString(), self, StringComparison.OrdinalIgnoreCase))
        {
            return "Origin is another site";
        }

        if (headers["Sec-Fetch-Site"].Count > 0 && headers["Sec-Fetch-Site"].ToString() != "same-origin")
        {
            return "Sec-Fetch-Site is not same-origin";
        }

        return null;
    }

    /// <summary>Answers 401 and logs it, with the remote address and never the token.</summary>
    public async Task RefuseAsync(HttpContext context, AdminCredential credential, bool json)
    {
        var why = credential == AdminCredential.Missing ? "no token" : "wrong token";
        LogRefused(_logger, context.Request.Method, context.Request.PathBase + context.Request.Path, Remote(context), why);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer";
        response.Headers.CacheControl = "no-store";
        var text = $"401 Unauthorized ({why}): open the dashboard with the URL the server printed at start (/admin?token=...), or send Authorization: Bearer TOKEN";
        if (json)
        {
            await OperatorApi.WriteErrorAsync(response, StatusCodes.Status401Unauthorized, text);
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(text + "\n");
    }

    /// <summary>Answers 403 to a POST that another site could have made, and logs it.</summary>
    public async Task RefuseForgedAsync(HttpContext context, string why)
    {
        LogForged(_logger, context.Request.Method, context.Request.PathBase + context.Request.Path, Remote(context), why);
        await OperatorApi.WriteErrorAsync(context.Response, StatusCodes.Status403Forbidden,
            $"403 Forbidden: an action signed in by cookie must come from the dashboard itself ({why})");
    }

    /// <summary>The client's address for the log.</summary>
    public static string Remote(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? $"{address}:{context.Connection.RemotePort}" : "-";

    [LoggerMessage(701, LogLevel.Warning, "Dashboard: refused {Method} {Path} from {RemoteAddress}: {Why}", EventName = "DashboardUnauthorized")]
    private static partial void LogRefused(ILogger logger, string method, string path, string remoteAddress, string why);

    [LoggerMessage(702, LogLevel.Warning, "Dashboard: refused {Method} {Path} from {RemoteAddress} with the operator's cookie: {Why}", EventName = "DashboardForgedRequest")]
    private static partial void LogForged(ILogger logger, string method, string path, string remoteAddress, string why);
}
