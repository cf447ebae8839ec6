namespace Chat.Conform.Running;

/// <summary>How one check went: for a failure or a skip, <see cref="Detail"/> says why.</summary>
internal sealed record CheckResult(ConformanceCheck Check, CheckStatus Status, string Detail, TimeSpan Duration);
