using SafetyLayers;

namespace Microsoft.Extensions.AI;

/// <summary>Extension methods that add the SafetyLayers guardrails to <see cref="ChatClientBuilder"/> pipelines.</summary>
public static class GuardrailsChatClientBuilderExtensions
{
    /// <summary>Inserts the guardrail layers, outermost first: audit, the input guard, the output filter, then the tool permission layer.</summary>
    /// <param name="builder">The pipeline builder that receives the layers.</param>
    /// <param name="configure">An optional callback that fills in the <see cref="GuardrailsOptions"/>.</param>
    /// <returns>The same <paramref name="builder"/>, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The configured options are inconsistent.</exception>
    /// <remarks>
    /// <para>
    /// Add <c>UseFunctionInvocation()</c> after this call, so the guardrails sit outside MEAI's function invocation. Nothing else is
    /// needed: without registered services the default policies apply. When the <see cref="IServiceProvider"/> given to
    /// <see cref="ChatClientBuilder.Build(IServiceProvider?)"/> has options registered by <c>AddGuardrails</c>, they are the starting
    /// point, <paramref name="configure"/> runs on a copy of them, and the layers follow their reloads without being rebuilt.
    /// An <c>ILoggerFactory</c> and a <see cref="TimeProvider"/> are used when registered.
    /// </para>
    /// <para>The default policies are compiled once per process and shared, so building a pipeline costs microseconds.</para>
    /// </remarks>
    public static ChatClientBuilder UseGuardrails(this ChatClientBuilder builder, Action<GuardrailsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GuardrailsPipeline.ValidateEagerly(configure);

        // Outermost first (DESIGN.md): Audit -> InputGuard -> OutputFilter -> ToolPermissions; the caller's UseFunctionInvocation() goes after.
        GuardrailsPipeline.UseAudit(builder, configure);
        GuardrailsPipeline.UseInputGuard(builder, configure);
        GuardrailsPipeline.UseOutputFilter(builder, configure);
        GuardrailsPipeline.UseToolPermissions(builder, configure);
        return builder;
    }
}
