using System.Text.RegularExpressions;
using Chat.Conform.Checks;
using Chat.TestKit;

namespace Chat.Conform.Tests;

/// <summary>docs/CONFORMANCE.md lists every check with its rule, and every rule's link lands on a heading of docs/PROTOCOL.md.</summary>
public partial class DocsTests
{
    [Fact]
    public void ConformanceGuideListsEveryCheckWithTheLinkToItsRule()
    {
        var rows = File.ReadAllLines(RepositoryRoot.Combine("docs", "CONFORMANCE.md"))
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .ToList();

        Assert.All(CheckCatalog.All, check => Assert.Contains(rows, row =>
            row.StartsWith($"| `{check.Name}` |", StringComparison.Ordinal) && row.Contains($"(PROTOCOL.md#{check.Rule.Anchor})", StringComparison.Ordinal)));
    }

    [Fact]
    public void EveryRuleLinksToAHeadingOfTheProtocolGuide()
    {
        var anchors = File.ReadAllLines(RepositoryRoot.Combine("docs", "PROTOCOL.md"))
            .Where(line => line.StartsWith('#'))
            .Select(Anchor)
            .ToHashSet();

        Assert.All(CheckCatalog.All, check => Assert.Contains(check.Rule.Anchor, anchors));
    }

    // GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.
    private static string Anchor(string heading) =>
        NotAnchorCharacter().Replace(heading.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-');

    [GeneratedRegex(@"[^a-z0-9 _-]")]
    private static partial Regex NotAnchorCharacter();
}
