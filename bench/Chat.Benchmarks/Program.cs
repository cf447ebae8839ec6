using BenchmarkDotNet.Running;

// Run by hand, in Release: dotnet run -c Release --project bench/Chat.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
