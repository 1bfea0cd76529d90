using BenchmarkDotNet.Running;
using RxInfer.Benchmarks.PostgreSql;

// dotnet run -c Release --project benchmarks/RxInfer.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/RxInfer.Benchmarks -- revocation-propagation [count]   (a measured harness, not BenchmarkDotNet)
if (args.Length > 0 && args[0] == RevocationPropagation.Command)
{
    return await RevocationPropagation.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
