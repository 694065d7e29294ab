using SafetyLayers;

namespace Microsoft.Extensions.AI;

/// <summary>Extension methods that add an <see cref="OutputFilterChatClient"/> to <see cref="ChatClientBuilder"/> pipelines.</summary>
public static class OutputFilterChatClientBuilderExtensions
{
    /// <summary>Inserts an <see cref="OutputFilterChatClient"/> that filters what the model returns, streamed or not.</summary>
    /// <param name="builder">The pipeline builder that receives the filter.</param>
    /// <param name="configure">An optional callback that fills in the <see cref="OutputFilterOptions"/>.</param>
    /// <returns>The same <paramref name="builder"/>, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The configured options are inconsistent.</exception>
    /// <remarks>Options registered by <c>AddGuardrails</c> (section <c>SafetyLayers:Output</c>) are the starting point when present.</remarks>
    public static ChatClientBuilder UseOutputFilter(this ChatClientBuilder builder, Action<OutputFilterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Action<GuardrailsOptions>? all = configure is null ? null : o => configure(o.Output);
        GuardrailsPipeline.ValidateEagerly(all);
        return GuardrailsPipeline.UseOutputFilter(builder, all);
    }
}
