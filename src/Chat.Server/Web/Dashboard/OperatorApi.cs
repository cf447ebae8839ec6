using System.Text.Json;
using Chat.Server.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Chat.Server.Web.Dashboard;

/// <summary>
/// <c>/api/NAME</c>: the operator commands over HTTP, answered with their <c>--json</c> reply. Each
/// request becomes one line for the same <see cref="CommandDispatcher"/> the console uses, so there
/// is no second implementation of any command. A command that only reads may be a GET, its words
/// as <c>?arg=</c> values in order; every command may be a POST, its words in a JSON body
/// <c>{"args": ["7", "flooding"]}</c>; an action (<c>kick</c>, <c>say</c>, <c>set NAME VALUE</c>,
/// <c>shutdown</c>, ...) takes a POST only. docs/OPERATIONS.md, "The dashboard and its API".
/// </summary>
internal sealed partial class OperatorApi
{
    // A say or kick reason holds at most 4 KiB; a body this size is far more than any command needs.
    private const long MaxBodyBytes = 64 * 1024;
    private static readonly char[] Spaces = [' ', '\t', '\n', '\r', '\v', '\f'];

    private readonly CommandDispatcher _dispatcher;
    private readonly AdminGate _gate;

    public OperatorApi(CommandDispatcher dispatcher, AdminGate gate)
    {
        _dispatcher = dispatcher;
        _gate = gate;
    }

    /// <summary>Handles one request under <c>/api</c> (its path is what follows: <c>/num.users</c>).</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        var credential = _gate.Check(context);
        if (credential is AdminCredential.Missing or AdminCredential.Wrong)
        {
            await _gate.RefuseAsync(context, credential, json: true);
            return;
        }

        // GET /api/ is help: the list of commands.
        var name = (context.Request.Path.Value ?? string.Empty).Trim('/').ToLowerInvariant();
        name = name.Length == 0 ? "help" : name;
        if (!_dispatcher.IsCommand(name))
        {
            await WriteErrorAsync(response, StatusCodes.Status404NotFound, $"unknown command '{name}'; GET /api/help lists them");
            return;
        }

        var method = context.Request.Method;
        List<string> words;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            words = Words(context.Request.Query["arg"]);
            if (!_dispatcher.OnlyReads(name, words))
            {
                response.Headers.Allow = "POST";
                await WriteErrorAsync(response, StatusCodes.Status405MethodNotAllowed, $"{name} with these arguments is an action: POST it");
                return;
            }
        }
        else if (HttpMethods.IsPost(method))
        {
            if (await ReadBodyAsync(context) is not { } body)
            {
                return;
            }

            words = body;
            LogAction(_gate.Logger, name, AdminGate.Remote(context));
        }
        else
        {
            response.Headers.Allow = "GET, POST";
            await WriteErrorAsync(response, StatusCodes.Status405MethodNotAllowed, "GET reads, POST acts");
            return;
        }

        using var reply = new StringWriter();
        var ran = _dispatcher.Execute(string.Join(' ', [name, .. words, CommandDispatcher.JsonFlag]), reply);
        response.StatusCode = ran ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(reply.ToString());
    }

    /// <summary>Writes <c>{"error": text}</c> with <paramref name="status"/>, the shape a failed command's reply has.</summary>
    public static async Task WriteErrorAsync(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync(CommandOutput.ErrorJson(text) + "\n");
    }

    // The words the console would see, whether they came as one value each or several to a value:
    // deciding GET or POST on exactly what runs leaves no gap between the check and the command.
    private static List<string> Words(IEnumerable<string?> values) =>
        values.SelectMany(value => (value ?? string.Empty).Split(Spaces, StringSplitOptions.RemoveEmptyEntries))
            .Where(word => word != CommandDispatcher.JsonFlag)
            .ToList();

    // {"args": [...]} of strings or numbers, or no body at all; null once a reply says what is wrong.
    private static async Task<List<string>?> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (request.ContentLength == 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return [];
        }

        if (!request.HasJsonContentType())
        {
            await WriteErrorAsync(context.Response, StatusCodes.Status415UnsupportedMediaType, "send the arguments as application/json: {\"args\": [...]}");
            return null;
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("the body is not a JSON object");
            }

            if (!document.RootElement.TryGetProperty("args", out var args))
            {
                return [];
            }

            if (args.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("args is not an array");
            }

            return Words(args.EnumerateArray().Select(arg => arg.ValueKind switch
            {
                JsonValueKind.String => arg.GetString(),
                JsonValueKind.Number => arg.GetRawText(),
                _ => throw new JsonException("each of args must be a string or a number"),
            }));
        }
        catch (JsonException exception)
        {
            await WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, $"the body must be {{\"args\": [...]}}: {exception.Message}");
            return null;
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteErrorAsync(context.Response, StatusCodes.Status413PayloadTooLarge, $"the body is over {MaxBodyBytes} bytes");
            return null;
        }
    }

    [LoggerMessage(703, LogLevel.Information, "Dashboard: operator ran {Command} over HTTP from {RemoteAddress}", EventName = "DashboardAction")]
    private static partial void LogAction(ILogger logger, string command, string remoteAddress);
}
