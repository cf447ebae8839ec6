using Chat.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Chat.Server.Web.Dashboard;

/// <summary>
/// The operator's dashboard at <c>/admin</c> (plain files from <c>adminroot/</c>, no build step) and
/// its API at <c>/api</c>, both on the HTTP listener. The page's files hold no secret and need no
/// token; every request to the API does (<see cref="AdminGate"/>). The sign-in URL carries the token
/// in its fragment (<c>/admin#token=...</c>), which a browser never sends to any server: the page's
/// script takes it from there.
/// </summary>
internal static partial class DashboardEndpoints
{
    /// <summary>Where the dashboard lives.</summary>
    public const string Path = "/admin";

    /// <summary>The folder of its files, beside the server's assembly.</summary>
    public const string Folder = "adminroot";

    /// <summary>Adds <c>/admin</c> and <c>/api</c> to the HTTP listener's pipeline, ahead of the chat page.</summary>
    public static void Map(IApplicationBuilder web)
    {
        var services = web.ApplicationServices;
        var gate = services.GetRequiredService<AdminGate>();
        var api = services.GetRequiredService<OperatorApi>();
        var root = System.IO.Path.Combine(services.GetRequiredService<IWebHostEnvironment>().ContentRootPath, Folder);
        web.Map("/api", branch => branch.Run(api.HandleAsync));
        web.Map(Path, branch =>
        {
            branch.Use((context, next) => ServeAsync(context, gate, next));
            branch.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(root),
                OnPrepareResponse = static file => AddPageHeaders(file.Context.Response),
            });
        });
    }

    /// <summary>
    /// Tells the operator where the dashboard is, with the generated token in the URL (as Jupyter
    /// does), once the HTTP listener is bound; nothing when it is off. Through the log at Information,
    /// or on standard error when the log would not show it.
    /// </summary>
    public static void Announce(WebApplication app)
    {
        if (ChatServerHost.GetHttpEndPoint(app) is not { } endPoint || app.Services.GetService<AdminToken>() is not { } token)
        {
            return;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Chat.Server.Dashboard");
        // With TLS on, the same port serves https: the token then never crosses the network in clear.
        var scheme = ChatServerHost.GetTlsEndPoint(app) is null ? "http" : "https";
        var url = $"{scheme}://{WebEndPoint.BrowserAuthority(endPoint)}{Path}";
        var line = token.Generated ? $"{url}#token={token.Value}" : $"{url} (with the configured AdminToken: {url}#token=...)";
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogDashboard(logger, line);
        }
        else
        {
            Console.Error.WriteLine($"chat-server operator dashboard: open {line}");
        }
    }

    // An old link's token in the query moves to the fragment, out of the next request line, the
    // access logs and any Referer; a wrong one is refused (and logged) as a wrong Bearer would be.
    // No cookie is ever set: the browser would send it to every other port of this host.
    private static async Task ServeAsync(HttpContext context, AdminGate gate, RequestDelegate next)
    {
        var request = context.Request;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (request.Query.TryGetValue("token", out var token))
        {
            if (!gate.Matches(token.ToString()))
            {
                await gate.RefuseAsync(context, AdminCredential.Wrong, json: false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = $"{Path}#token={Uri.EscapeDataString(token.ToString())}";
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET";
            return;
        }

        if (request.Path.Value is null or "" or "/")
        {
            request.Path = "/index.html";
        }

        await next(context);
    }

    // The dashboard talks to its own origin only, and its files are checked again on every load.
    private static void AddPageHeaders(HttpResponse response)
    {
        PageHeaders.Add(response);
        response.Headers.CacheControl = "no-cache";
    }

    [LoggerMessage(700, LogLevel.Information, "Operator dashboard: open {Url}", EventName = "DashboardUrl")]
    private static partial void LogDashboard(ILogger logger, string url);
}
