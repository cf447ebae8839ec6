namespace Chat.Server.Admin;

/// <summary>Traffic per second over some window, as <c>stats</c> shows it.</summary>
internal readonly record struct TrafficRates(double MessagesIn, double BytesIn, double FramesOut, double BytesOut, double Deliveries);
