using Chat.Conform.Checks;
using Chat.Conform.Reports;
using Chat.Conform.Running;

namespace Chat.Conform.Tests;

public class HtmlReportTests
{
    [Fact]
    public void PageIsSelfContainedWithOneTablePerLevelAndEscapesWhatTheServerSaid()
    {
        var checks = CheckCatalog.All;
        var results = checks.Select((check, index) => new CheckResult(check,
            index == 0 ? CheckStatus.Failed : CheckStatus.Passed,
            index == 0 ? "got {msg: \"<script>alert(1)</script>\"}" : "", TimeSpan.Zero)).ToList();
        var report = new ConformanceReport(ConformSettings.For(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 7777)), results, TimeSpan.FromSeconds(3));

        var page = HtmlReport.Render(report);

        Assert.Equal(2, page.Split("<table>").Length - 1);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        foreach (var external in new[] { "http://", "https://", "<link", " src=" })
        {
            Assert.DoesNotContain(external, page, StringComparison.OrdinalIgnoreCase);
        }
    }
}
