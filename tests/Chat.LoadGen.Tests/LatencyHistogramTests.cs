namespace Chat.LoadGen.Tests;

public class LatencyHistogramTests
{
    [Fact]
    public void PercentilesAreWithinThreePercentOfTheRecordedValues()
    {
        var histogram = new LatencyHistogram();
        for (long value = 1; value <= 100_000; value++)
        {
            histogram.Record(value * 1000);
        }

        foreach (var (percentile, expected) in new[] { (50.0, 50_000_000.0), (90.0, 90_000_000.0), (99.0, 99_000_000.0), (99.9, 99_900_000.0) })
        {
            var value = histogram.ValueAtPercentile(percentile);
            Assert.InRange(value, expected, expected * 1.035);
        }

        Assert.Equal(100_000_000, histogram.Max);
        Assert.Equal(100_000_000, histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void SmallValuesAreExact()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(3);
        histogram.Record(5);

        Assert.Equal(3, histogram.ValueAtPercentile(50));
        Assert.Equal(5, histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void AddedHistogramsCountEverything()
    {
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        first.Record(1_000);
        second.Record(2_000_000);

        first.Add(second);

        Assert.Equal(2, first.Count);
        Assert.Equal(2_000_000, first.Max);
        Assert.Equal(0, new LatencyHistogram().ValueAtPercentile(99));
    }
}
