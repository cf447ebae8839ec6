using System.Numerics;

namespace Chat.LoadGen;

/// <summary>
/// Latencies in nanoseconds in log-linear buckets, as HdrHistogram keeps them: 32 buckets per power
/// of two, so every reported value is within about 3% of a recorded one. Recording never allocates.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int HalfSubBuckets = 1 << (SubBucketBits - 1);
    private const int BucketCount = ((64 - SubBucketBits + 1) * HalfSubBuckets) + HalfSubBuckets;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long nanoseconds)
    {
        var value = Math.Max(0, nanoseconds);
        _counts[IndexOf(value)]++;
        Count++;
        if (value > Max)
        {
            Max = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var index = 0; index < BucketCount; index++)
        {
            _counts[index] += other._counts[index];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The smallest recorded value that <paramref name="percentile"/> % of the values do not exceed (the bucket's top).</summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (var index = 0; index < BucketCount; index++)
        {
            seen += _counts[index];
            if (seen >= rank)
            {
                return Math.Min(Max, UpperBound(index));
            }
        }

        return Max;
    }

    private static int IndexOf(long value)
    {
        if (value < 2 * HalfSubBuckets)
        {
            return (int)value;
        }

        var shift = BitOperations.Log2((ulong)value) - SubBucketBits + 1;
        return (shift * HalfSubBuckets) + (int)(value >> shift);
    }

    private static long UpperBound(int index)
    {
        if (index < 2 * HalfSubBuckets)
        {
            return index;
        }

        var shift = (index / HalfSubBuckets) - 1;
        var mantissa = (long)(index - (shift * HalfSubBuckets));
        return ((mantissa + 1) << shift) - 1;
    }
}
