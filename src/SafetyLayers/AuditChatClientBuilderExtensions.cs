using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SafetyLayers;

namespace Microsoft.Extensions.AI;

/// <summary>Extension methods that add an <see cref="AuditChatClient"/> to <see cref="ChatClientBuilder"/> pipelines.</summary>
public static class AuditChatClientBuilderExtensions
{
    /// <summary>Inserts an <see cref="AuditChatClient"/> that records every call and the verdicts of the layers inside it.</summary>
    /// <param name="builder">The pipeline builder that receives the audit layer; call this first, so the layer is outermost.</param>
    /// <param name="configure">An optional callback that fills in the <see cref="AuditOptions"/>.</param>
    /// <returns>The same <paramref name="builder"/>, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The configured options are inconsistent.</exception>
    /// <remarks>
    /// Sinks registered as <see cref="IAuditSink"/> in the service provider given to <c>Build</c> are added to the
    /// configured ones. Each <c>Build</c> creates its own file sink, closed when the built client is disposed.
    /// </remarks>
    public static ChatClientBuilder UseAudit(this ChatClientBuilder builder, Action<AuditOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new AuditOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Use((innerClient, services) =>
        {
            AuditOptions effective = options;
            IAuditSink[] registered = [.. services.GetService<IEnumerable<IAuditSink>>() ?? []];
            if (registered.Length > 0)
            {
                effective = options.Clone();
                foreach (IAuditSink sink in registered)
                {
                    effective.Sinks.Add(sink);
                }
            }

            return new AuditChatClient(innerClient, effective, services.GetService<ILoggerFactory>(), services.GetService<TimeProvider>());
        });
    }
}
