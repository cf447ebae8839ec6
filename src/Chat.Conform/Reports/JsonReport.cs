using System.Text.Json;
using Chat.Conform.Running;

namespace Chat.Conform.Reports;

/// <summary>The report for machines (--json): the run, its counts, and every check with its rule and result.</summary>
internal static class JsonReport
{
    public static void Write(Stream output, ConformanceReport report)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("target", report.Settings.Target);
        json.WriteString("level", StatusWords.LevelName(report.Settings.Level));
        json.WriteNumber("passed", report.Passed);
        json.WriteNumber("failed", report.Failed);
        json.WriteNumber("skipped", report.Skipped);
        json.WriteNumber("seconds", Math.Round(report.Duration.TotalSeconds, 2));
        json.WriteStartArray("checks");
        foreach (var result in report.Results)
        {
            json.WriteStartObject();
            json.WriteString("name", result.Check.Name);
            json.WriteString("level", StatusWords.LevelName(result.Check.Level));
            json.WriteString("status", StatusWords.Of(result.Status).ToLowerInvariant());
            json.WriteString("description", result.Check.Description);
            json.WriteString("detail", result.Detail);
            json.WriteString("rule", result.Check.Rule.Title);
            json.WriteString("ruleLink", result.Check.Rule.Link);
            json.WriteNumber("seconds", Math.Round(result.Duration.TotalSeconds, 3));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }
}
