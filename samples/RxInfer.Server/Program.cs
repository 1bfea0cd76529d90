// The sample RxInfer host: `dotnet run --project samples/RxInfer.Server`.
var app = Program.CreateApp(args);
await app.RunAsync();
