using Chat.Conform.Running;

namespace Chat.Conform.Reports;

/// <summary>How a status is written in every report.</summary>
internal static class StatusWords
{
    public static string Of(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "PASS",
        CheckStatus.Failed => "FAIL",
        _ => "SKIP",
    };

    public static string LevelName(CheckLevel level) => level == CheckLevel.Assignment ? "assignment" : "contract";
}
