using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using SafetyLayers.Benchmarks.Matching;

// Run all: dotnet run -c Release --project benchmarks/SafetyLayers.Benchmarks -- --filter '*'
// A rough, fast look while tuning (not a measurement): dotnet run -c Release --project benchmarks/SafetyLayers.Benchmarks -- quick
if (args is ["quick", "overlap", ..])
{
    SafetyLayers.Benchmarks.Scanning.OverlapQuickLook.Run();
    return 0;
}

if (args is ["quick", "scan", ..])
{
    SafetyLayers.Benchmarks.Scanning.ScanQuickLook.Run(args[2..]);
    return 0;
}

if (args is ["quick", ..])
{
    QuickLook.Run(args[1..]);
    return 0;
}

IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

// A benchmark that threw (for example a failed correctness check in [GlobalSetup]) fails the run.
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
