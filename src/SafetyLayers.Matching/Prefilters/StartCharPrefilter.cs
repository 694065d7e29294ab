using System.Buffers;

namespace SafetyLayers.Matching.Prefilters;

/// <summary>Skips to the next character that can begin a pattern, with the BCL's vectorized <see cref="SearchValues{T}"/>.</summary>
/// <remarks>No false negatives: the set holds every first character of every pattern and, when case is ignored, all of their case variants.</remarks>
internal sealed class StartCharPrefilter(SearchValues<char> startChars, int count) : Prefilter
{
    private readonly SearchValues<char> _startChars = startChars;

    public override PrefilterKind Kind => PrefilterKind.StartCharacters;

    public override long MemoryUsage => 8192 + (count * sizeof(char));

    public override int Find(ReadOnlySpan<char> text, int from, ref CandidateCache cache)
    {
        int index = text.Slice(from).IndexOfAny(_startChars);
        return index < 0 ? -1 : from + index;
    }
}
