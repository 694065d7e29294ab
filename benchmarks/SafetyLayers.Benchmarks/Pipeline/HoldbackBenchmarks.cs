using BenchmarkDotNet.Attributes;
using SafetyLayers.Benchmarks.Corpus;

namespace SafetyLayers.Benchmarks.Pipeline;

/// <summary>
/// The streaming redactor alone with the default output policy, over 64 KB of ordinary text in 4-character chunks. Setup prints
/// how many characters it held back after each chunk (maximum and mean): the delay benign text sees before reaching the caller.
/// </summary>
[MemoryDiagnoser]
public class HoldbackBenchmarks
{
    private const int TextLength = 64 * 1024;
    private const int ChunkLength = 4;
    private string _text = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _text = BenchData.Haystack[..TextLength];
        (int max, double mean) = Measure(_text, ChunkLength);
        TextScanner scanner = GuardrailsDefaults.OutputScanner;
        Console.WriteLine($"// Holdback with the default output policy (MaxMatchLength {scanner.MaxMatchLength}, short bound {scanner.ShortMatchLength}, rescan batch {StreamingRedactor.MinBatch}): max {max} chars, mean {mean:F1} chars, chunks of {ChunkLength}.");
    }

    /// <summary>Streams <paramref name="text"/> through a redactor and returns the held-back maximum and mean.</summary>
    public static (int Max, double Mean) Measure(string text, int chunkLength)
    {
        var redactor = new StreamingRedactor(GuardrailsDefaults.OutputScanner, PlaceholderFormatter.Default);
        for (int i = 0; i < text.Length; i += chunkLength)
        {
            _ = redactor.Append(text.AsSpan(i, Math.Min(chunkLength, text.Length - i)));
        }

        _ = redactor.Complete();
        return (redactor.MaxHeld, redactor.Chunks == 0 ? 0 : (double)redactor.HeldSum / redactor.Chunks);
    }

    /// <summary>One operation = one 4-character chunk through the redactor.</summary>
    [Benchmark(OperationsPerInvoke = TextLength / ChunkLength)]
    public int PerChunk()
    {
        var redactor = new StreamingRedactor(GuardrailsDefaults.OutputScanner, PlaceholderFormatter.Default);
        int emitted = 0;
        for (int i = 0; i < _text.Length; i += ChunkLength)
        {
            emitted += redactor.Append(_text.AsSpan(i, ChunkLength)).Length;
        }

        return emitted + redactor.Complete().Length;
    }
}
