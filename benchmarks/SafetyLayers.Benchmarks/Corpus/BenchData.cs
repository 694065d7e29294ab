using System.Text;

namespace SafetyLayers.Benchmarks.Corpus;

/// <summary>Loads the matcher benchmark data that ships next to the benchmarks (see Corpus/README.md).</summary>
internal static class BenchData
{
    private static readonly Lazy<string> LazyHaystack = new(() => File.ReadAllText(PathOf("haystack.txt"), Encoding.UTF8));

    /// <summary>Gets the haystack: about 9.7 MB of UTF-8 chat-like text, decoded to UTF-16.</summary>
    public static string Haystack => LazyHaystack.Value;

    /// <summary>Gets the pattern set with the given name: "10", "100", "1000", "10000" or "nomatch-100".</summary>
    public static string[] Patterns(string name) =>
        File.ReadAllLines(PathOf($"patterns-{name}.txt"), Encoding.UTF8).Where(l => l.Length > 0).ToArray();

    /// <summary>Gets the number of UTF-8 bytes of a text, the unit of the MB/s figures.</summary>
    public static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);

    private static string PathOf(string file)
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "benchmarks", "SafetyLayers.Benchmarks", "Corpus", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Benchmark data file '{file}' not found above {AppContext.BaseDirectory}.");
    }
}
