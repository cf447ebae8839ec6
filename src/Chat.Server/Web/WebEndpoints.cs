using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Server.Web;

/// <summary>
/// What the HTTP listener serves: the chat page's static files at <c>/</c>, WebSocket sessions at
/// <c>/ws</c>, and the operator's dashboard and API at <c>/admin</c> and <c>/api</c>.
/// </summary>
internal static class WebEndpoints
{
    /// <summary>The WebSocket path of PROTOCOL.md, "WebSocket".</summary>
    public const string WebSocketPath = "/ws";

    /// <summary>
    /// Serves the page and <c>/ws</c> on the HTTP listener's port only, so that the metrics port (when
    /// it is on) stays a metrics port, whatever the Host header says.
    /// </summary>
    public static void Map(WebApplication app, WebEndPoint endPoint)
    {
        var gateway = app.Services.GetRequiredService<WebSocketGateway>();
        app.MapWhen(context => context.Connection.LocalPort == endPoint.EndPoint?.Port, web =>
        {
            // Before the WebSocket middleware takes the upgrade feature: the socket it makes then
            // writes through a stream the session's send loop can batch.
            web.Use(static (context, next) =>
            {
                // Only a request that asks for an upgrade: the page's files and the API's polls need no wrapper.
                if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
                {
                    context.Features.Set<IHttpUpgradeFeature>(new WriteBatchingUpgrade(upgrade));
                }

                return next(context);
            });
            // No keep-alive pings of our own: the idle timeout is the session's, the same for every transport.
            web.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            web.Map(WebSocketPath, webSocket => webSocket.Run(gateway.AcceptAsync));
            Dashboard.DashboardEndpoints.Map(web);
            web.UseDefaultFiles();
            web.UseStaticFiles(new StaticFileOptions
            {
                ContentTypeProvider = new FileExtensionContentTypeProvider(),
                OnPrepareResponse = static file => AddPageHeaders(file.Context),
            });
        });
    }

    // The chat page's script also opens its WebSocket, on this same host.
    private static void AddPageHeaders(HttpContext context)
    {
        var host = context.Request.Host.Value;
        PageHeaders.Add(context.Response, $" ws://{host} wss://{host}");
    }
}
