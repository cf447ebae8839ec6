using Chat.LoadGen;

// At most one worker thread per core: the generator shares the machine with the server it measures.
LoadGenerator.LimitThreads();
return await LoadGenCommandLine.CreateRootCommand().Parse(args).InvokeAsync();
