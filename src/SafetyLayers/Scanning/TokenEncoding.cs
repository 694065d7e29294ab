namespace SafetyLayers;

/// <summary>The tokenizer that token limits count with (OpenAI's tiktoken encodings, through Microsoft.ML.Tokenizers).</summary>
public enum TokenEncoding
{
    /// <summary><c>o200k_base</c>: GPT-4o, GPT-4.1, o-series and later models.</summary>
    O200kBase = 0,

    /// <summary><c>cl100k_base</c>: GPT-4, GPT-3.5 and the text-embedding-3 models.</summary>
    Cl100kBase = 1,
}
