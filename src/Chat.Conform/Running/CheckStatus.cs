namespace Chat.Conform.Running;

internal enum CheckStatus
{
    Passed,
    Failed,
    Skipped,
}
