using System.Globalization;
using System.Net;
using System.Text;
using Chat.Conform.Running;

namespace Chat.Conform.Reports;

/// <summary>
/// One self-contained page (--html): its style inline, no scripts, fonts or images from elsewhere, so
/// that a teacher can archive it per student and open it years later. One table per level.
/// </summary>
internal static class HtmlReport
{
    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
        h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border: 1px solid #ccc; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; }
        td.status { font-weight: bold; white-space: nowrap; }
        tr.pass td.status { color: #17702b; } tr.fail td.status { color: #b3261e; } tr.skip td.status { color: #7a6a00; }
        tr.fail { background: #fdf0ef; }
        code { font-family: ui-monospace, monospace; }
        .summary { font-size: 1.1em; }
        """;

    public static string Render(ConformanceReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>chat-conform: ").Append(Encode(report.Settings.Target)).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>chat-conform: ").Append(Encode(report.Settings.Target)).Append("</h1>\n")
            .Append("<p class=\"summary\">").Append(Encode(report.Summary)).Append(", level ")
            .Append(StatusWords.LevelName(report.Settings.Level)).Append(", run ")
            .Append(DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)).Append("</p>\n");
        foreach (var level in new[] { CheckLevel.Assignment, CheckLevel.Contract })
        {
            var results = report.Results.Where(result => result.Check.Level == level).ToList();
            if (results.Count > 0)
            {
                AppendTable(html, level, results);
            }
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    public static void Write(string path, ConformanceReport report) => File.WriteAllText(path, Render(report), Encoding.UTF8);

    private static void AppendTable(StringBuilder html, CheckLevel level, List<CheckResult> results)
    {
        html.Append("<h2>Level ").Append(StatusWords.LevelName(level)).Append("</h2>\n<table>\n")
            .Append("<tr><th>result</th><th>check</th><th>what it tests</th><th>rule</th><th>what was seen</th></tr>\n");
        foreach (var result in results)
        {
            var status = StatusWords.Of(result.Status);
            html.Append("<tr class=\"").Append(status.ToLowerInvariant()).Append("\">")
                .Append("<td class=\"status\">").Append(status).Append("</td>")
                .Append("<td><code>").Append(Encode(result.Check.Name)).Append("</code></td>")
                .Append("<td>").Append(Encode(result.Check.Description)).Append("</td>")
                .Append("<td>PROTOCOL.md ").Append(Encode(result.Check.Rule.Title)).Append("</td>")
                .Append("<td>").Append(Encode(result.Detail)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
