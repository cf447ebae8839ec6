using Chat.Server.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Server.Tests;

public class TokenBucketTests
{
    [Fact]
    public void AStampReadBeforeTheBucketWasMadeCountsAsNoTimePassed()
    {
        var clock = new FakeTimeProvider();
        var before = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var bucket = new TokenBucket(100_000, 20, clock);

        // The read loop reads the clock once for a batch and may make the bucket after that.
        for (var token = 0; token < 20; token++)
        {
            Assert.Equal(TimeSpan.Zero, bucket.TryTake(before));
        }

        Assert.True(bucket.TryTake(before) > TimeSpan.Zero);
    }

    [Fact]
    public void TokensTakenAtOneInstantRefillNothingAndTimeLaterRefillsAtTheRate()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(1_000, 2, clock);
        var now = clock.GetTimestamp();

        Assert.Equal(TimeSpan.Zero, bucket.TryTake(now));
        Assert.Equal(TimeSpan.Zero, bucket.TryTake(now));
        Assert.Equal(TimeSpan.FromMilliseconds(1), bucket.TryTake(now));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, bucket.TryTake(clock.GetTimestamp()));
        Assert.True(bucket.TryTake(clock.GetTimestamp()) > TimeSpan.Zero);
    }
}
