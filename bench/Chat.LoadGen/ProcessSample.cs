using System.Diagnostics;
using System.Globalization;

namespace Chat.LoadGen;

/// <summary>
/// A process's CPU time (utime + stime from /proc/PID/stat) and resident memory (VmRSS from
/// /proc/PID/status) at one moment. Linux only; CPU time is in clock ticks of 10 ms (USER_HZ = 100).
/// </summary>
internal readonly record struct ProcessSample(long CpuTicks, long RssKiB, long Timestamp)
{
    public const int ClockTicksPerSecond = 100;

    public static ProcessSample? TryRead(int? pid)
    {
        if (pid is not { } id)
        {
            return null;
        }

        try
        {
            return new ProcessSample(ReadCpuTicks(id), ReadRssKiB(id), Stopwatch.GetTimestamp());
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>CPU milliseconds used between <paramref name="before"/> and this sample.</summary>
    public double CpuMillisecondsSince(ProcessSample before) => (CpuTicks - before.CpuTicks) * 1000.0 / ClockTicksPerSecond;

    private static long ReadCpuTicks(int pid)
    {
        // The command name (field 2) may hold spaces and parentheses; the fields after the last ')' do not.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime is field 14 and stime field 15.
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private static long ReadRssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
