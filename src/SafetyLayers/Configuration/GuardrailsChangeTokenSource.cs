using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace SafetyLayers;

/// <summary>Signals <see cref="IOptionsMonitor{TOptions}"/> when the configuration section <c>SafetyLayers</c> reloads.</summary>
internal sealed class GuardrailsChangeTokenSource(IServiceProvider services) : IOptionsChangeTokenSource<GuardrailsOptions>
{
    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() =>
        services.GetService<IConfiguration>()?.GetSection(GuardrailsOptions.SectionName).GetReloadToken() ?? s_never;

    private static readonly IChangeToken s_never = new CancellationChangeToken(CancellationToken.None);
}
