using System.Runtime.CompilerServices;
using Microsoft.ML.Tokenizers;

namespace SafetyLayers;

/// <summary>
/// Counts tokens with a tiktoken encoding, remembering the count of each text instance, so a long conversation re-sent every turn
/// costs a lookup per earlier message (the strings of earlier turns are the same instances).
/// </summary>
/// <remarks>Thread-safe. The encodings' data ship in the Microsoft.ML.Tokenizers.Data packages and load once per process.</remarks>
internal sealed class TokenCounter
{
    private static readonly Lazy<Tokenizer> s_o200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private static readonly Lazy<Tokenizer> s_cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));
    private static readonly TokenCounter s_o200kCounter = new(s_o200k);
    private static readonly TokenCounter s_cl100kCounter = new(s_cl100k);

    private readonly Lazy<Tokenizer> _tokenizer;
    private readonly ConditionalWeakTable<string, StrongBox<int>> _counts = [];

    private TokenCounter(Lazy<Tokenizer> tokenizer) => _tokenizer = tokenizer;

    public static TokenCounter For(TokenEncoding encoding) => encoding == TokenEncoding.Cl100kBase ? s_cl100kCounter : s_o200kCounter;

    /// <summary>Counts the tokens of <paramref name="text"/>.</summary>
    public int Count(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        if (_counts.TryGetValue(text, out StrongBox<int>? known))
        {
            return known.Value;
        }

        int count = _tokenizer.Value.CountTokens(text);
        _counts.AddOrUpdate(text, new StrongBox<int>(count));
        return count;
    }

    /// <summary>Gets how many characters of <paramref name="text"/> fit in <paramref name="maxTokens"/> tokens (never splitting a token).</summary>
    public int FittingLength(string text, int maxTokens) =>
        _tokenizer.Value.GetIndexByTokenCount(text, maxTokens, out _, out _);
}
