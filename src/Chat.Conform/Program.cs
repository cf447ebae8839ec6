using Chat.Conform;

return await ConformCommandLine.CreateRootCommand().Parse(args).InvokeAsync();
