using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/RxInfer.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
