using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SafetyLayers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Extension methods that register the SafetyLayers options in an <see cref="IServiceCollection"/>.</summary>
public static class GuardrailsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="GuardrailsOptions"/>, bound from the configuration section <c>SafetyLayers</c> and validated on start.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">An optional callback that runs after the configuration is bound, on every (re)load.</param>
    /// <returns>The same <paramref name="services"/>, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <para>
    /// Register the chat client with <c>services.AddChatClient(...).UseGuardrails()</c>: its layers read these options through
    /// <see cref="IOptionsMonitor{TOptions}"/> and follow configuration reloads without being rebuilt (a reload that fails
    /// validation is logged and the previous options stay in force).
    /// </para>
    /// <para>
    /// Binding reads the <c>IConfiguration</c> registered in the container, when there is one. Unknown keys and values of the
    /// wrong type are errors, as are invalid values; validation runs when the host starts
    /// (<see cref="OptionsBuilderExtensions.ValidateOnStart{TOptions}(OptionsBuilder{TOptions})"/>), so a host with invalid
    /// configuration fails to start with an <see cref="OptionsValidationException"/> that names the key, such as
    /// <c>SafetyLayers:Input:VerdictCacheSize</c>.
    /// </para>
    /// </remarks>
    public static IServiceCollection AddGuardrails(this IServiceCollection services, Action<GuardrailsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<GuardrailsOptions>, GuardrailsConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<GuardrailsOptions>, GuardrailsChangeTokenSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuardrailsOptions>, GuardrailsOptionsValidator>());
        OptionsBuilder<GuardrailsOptions> builder = services.AddOptions<GuardrailsOptions>().ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);   // registered after the binding, so it runs after it
        }

        return services;
    }
}
