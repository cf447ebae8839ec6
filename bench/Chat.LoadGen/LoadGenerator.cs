namespace Chat.LoadGen;

/// <summary>Process-wide settings that keep the generator cheap beside the server it measures.</summary>
internal static class LoadGenerator
{
    /// <summary>Caps the thread pool at one worker per core; every socket operation is asynchronous.</summary>
    public static void LimitThreads()
    {
        var cores = Environment.ProcessorCount;
        ThreadPool.SetMinThreads(cores, cores);
        ThreadPool.SetMaxThreads(cores, cores);
    }
}
