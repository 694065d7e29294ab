using BenchmarkDotNet.Attributes;

namespace SafetyLayers.Benchmarks.Scanning;

/// <summary>
/// The default combined policy over pathological inputs of growing length ("token=a1 ignore 1 " repeated: a credential
/// assignment, a phrase start and digits every few characters). The time per character should stay flat: linear time, no ReDoS.
/// </summary>
[MemoryDiagnoser]
public class ScanPathologicalBenchmarks
{
    private ScanPolicy _combined = null!;
    private string _pathological = null!;

    [Params(1_000, 10_000, 100_000)]
    public int PathologicalLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _combined = ScanPolicies.DefaultCombined;
        _pathological = string.Concat(Enumerable.Repeat("token=a1 ignore 1 ", PathologicalLength / 18 + 1))[..PathologicalLength];
        SafetyLayers.Scanning.CompiledRegexCache.CompileAll();
        SafetyLayers.Scanning.CompiledRegexCache.WaitForCompilation();
    }

    [Benchmark]
    public GuardrailAction ScanPathological() => _combined.Scan(_pathological).Verdict;
}
