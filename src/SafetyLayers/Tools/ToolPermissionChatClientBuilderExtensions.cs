using SafetyLayers;

namespace Microsoft.Extensions.AI;

/// <summary>Extension methods that add a <see cref="ToolPermissionChatClient"/> to <see cref="ChatClientBuilder"/> pipelines.</summary>
public static class ToolPermissionChatClientBuilderExtensions
{
    /// <summary>Inserts a <see cref="ToolPermissionChatClient"/> that guards every tool call of the function invocation added after it.</summary>
    /// <param name="builder">The pipeline builder that receives the layer.</param>
    /// <param name="configure">An optional callback that fills in the <see cref="ToolPolicyOptions"/>.</param>
    /// <returns>The same <paramref name="builder"/>, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The configured options are inconsistent.</exception>
    /// <remarks>
    /// Call it before <c>UseFunctionInvocation()</c>, so the layer sits outside MEAI's function invocation. Options registered by
    /// <c>AddGuardrails</c> (section <c>SafetyLayers:Tools</c>) are the starting point when present; an <see cref="IToolStateStore"/>, an
    /// <see cref="IToolApprover"/>, an <c>ILoggerFactory</c> and a <see cref="TimeProvider"/> are used when registered.
    /// </remarks>
    public static ChatClientBuilder UseToolPermissions(this ChatClientBuilder builder, Action<ToolPolicyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Action<GuardrailsOptions>? all = configure is null ? null : o => configure(o.Tools);
        GuardrailsPipeline.ValidateEagerly(all);
        return GuardrailsPipeline.UseToolPermissions(builder, all);
    }
}
