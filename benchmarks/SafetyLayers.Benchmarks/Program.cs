using BenchmarkDotNet.Running;
using SafetyLayers.Benchmarks.Matching;

// Run all: dotnet run -c Release --project benchmarks/SafetyLayers.Benchmarks -- --filter '*'
// A rough, fast look while tuning (not a measurement): dotnet run -c Release --project benchmarks/SafetyLayers.Benchmarks -- quick
if (args is ["quick", ..])
{
    QuickLook.Run(args[1..]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
