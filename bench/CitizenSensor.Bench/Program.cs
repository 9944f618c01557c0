using BenchmarkDotNet.Running;
using CitizenSensor.Bench;

// `dotnet run -c Release --project bench/CitizenSensor.Bench -- load …` drives a running portal over HTTP;
// `-- classify` measures the classifier on the corpus; anything else goes to BenchmarkDotNet (e.g. `-- --filter '*'`).
if (args.Length > 0 && args[0] == "load")
{
    return await LoadGenerator.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "load-reports")
{
    return await ReportLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "load-checkins")
{
    return await CheckInLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "load-declarations")
{
    return await DeclarationLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "declaration-figures")
{
    return await DeclarationFiguresLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "figures")
{
    return await VenueFiguresLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "trace")
{
    return await TracingLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "export")
{
    return await ExportLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "inbox")
{
    return await InboxLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "addresses")
{
    return AddressEvaluation.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "classify")
{
    return ClassificationEvaluation.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(JurisdictionBenchmarks).Assembly).Run(args);
return 0;
