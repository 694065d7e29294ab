using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SafetyLayers;

/// <summary>Binds <see cref="GuardrailsOptions"/> from the section <c>SafetyLayers</c> of the registered configuration, if any.</summary>
internal sealed class GuardrailsConfigureOptions(IServiceProvider services) : IConfigureOptions<GuardrailsOptions>
{
    public void Configure(GuardrailsOptions options)
    {
        if (services.GetService<IConfiguration>() is { } configuration)
        {
            GuardrailsConfigurationBinder.Bind(configuration.GetSection(GuardrailsOptions.SectionName), options);
        }
    }
}
