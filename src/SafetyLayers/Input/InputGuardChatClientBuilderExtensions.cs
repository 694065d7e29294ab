using SafetyLayers;

namespace Microsoft.Extensions.AI;

/// <summary>Extension methods that add an <see cref="InputGuardChatClient"/> to <see cref="ChatClientBuilder"/> pipelines.</summary>
public static class InputGuardChatClientBuilderExtensions
{
    /// <summary>Inserts an <see cref="InputGuardChatClient"/> that checks the messages each request adds.</summary>
    /// <param name="builder">The pipeline builder that receives the guard.</param>
    /// <param name="configure">An optional callback that fills in the <see cref="InputGuardOptions"/>.</param>
    /// <returns>The same <paramref name="builder"/>, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The configured options are inconsistent.</exception>
    /// <remarks>Options registered by <c>AddGuardrails</c> (section <c>SafetyLayers:Input</c>) are the starting point when present.</remarks>
    public static ChatClientBuilder UseInputGuard(this ChatClientBuilder builder, Action<InputGuardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Action<GuardrailsOptions>? all = configure is null ? null : o => configure(o.Input);
        GuardrailsPipeline.ValidateEagerly(all);
        return GuardrailsPipeline.UseInputGuard(builder, all);
    }
}
