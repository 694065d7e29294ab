using Microsoft.Extensions.AI;

namespace SafetyLayers;

/// <summary>The input guard's token limit: the messages of one request may hold at most so many tokens in total.</summary>
internal static class TokenLimit
{
    public const string RuleId = "SL-TOKEN-0001";
    public const string Category = "token_limit";

    /// <summary>Returns the finding of the text past the limit (from the first character that does not fit), or <see langword="null"/>.</summary>
    public static GuardrailFinding? Check(IReadOnlyList<ChatMessage> messages, int maxTokens, TokenEncoding encoding)
    {
        TokenCounter counter = TokenCounter.For(encoding);
        int total = 0;
        for (int m = 0; m < messages.Count; m++)
        {
            int offset = 0;
            IList<AIContent> contents = messages[m].Contents;
            for (int c = 0; c < contents.Count; c++)   // by index: a foreach over the IList boxes an enumerator
            {
                string? text = contents[c] switch
                {
                    TextContent t => t.Text,
                    TextReasoningContent r => r.Text,
                    FunctionResultContent { Result: string s } => s,
                    _ => null,
                };
                if (string.IsNullOrEmpty(text))
                {
                    continue;
                }

                int count = counter.Count(text);
                if (total + count > maxTokens)
                {
                    int fits = counter.FittingLength(text, maxTokens - total);
                    return new GuardrailFinding(RuleId, Category, GuardrailAction.Block, m, offset + fits, text.Length - fits);
                }

                total += count;
                offset += text.Length;
            }
        }

        return null;
    }
}
