using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafetyLayers;

/// <summary>Builds the layers of a guarded pipeline from code options, options registered by <c>AddGuardrails</c>, or both.</summary>
internal static class GuardrailsPipeline
{
    /// <summary>Runs <paramref name="configure"/> on fresh options and validates them, so misconfiguration fails at <c>Use</c> time.</summary>
    public static void ValidateEagerly(Action<GuardrailsOptions>? configure)
    {
        if (configure is null)
        {
            return;
        }

        var options = new GuardrailsOptions();
        configure(options);
        List<string> errors = options.GetErrors(string.Empty);
        if (errors.Count > 0)
        {
            Throw.InvalidOptions(errors);
        }
    }

    /// <summary>The options of one build: those in <paramref name="monitor"/> (when registered) with <paramref name="configure"/> applied on a copy.</summary>
    public static GuardrailsOptions Create(IOptionsMonitor<GuardrailsOptions>? monitor, Action<GuardrailsOptions>? configure)
    {
        GuardrailsOptions options = monitor?.CurrentValue.Clone() ?? new GuardrailsOptions();
        configure?.Invoke(options);
        return options;
    }

    public static ChatClientBuilder UseAudit(ChatClientBuilder builder, Action<GuardrailsOptions>? configure) =>
        builder.Use((innerClient, services) =>
        {
            AuditOptions audit = Create(services.GetService<IOptionsMonitor<GuardrailsOptions>>(), configure).Audit.Clone();
            foreach (IAuditSink sink in services.GetService<IEnumerable<IAuditSink>>() ?? [])
            {
                audit.Sinks.Add(sink);
            }

            audit.Validate();
            return new AuditChatClient(innerClient, audit, services.GetService<ILoggerFactory>(), services.GetService<TimeProvider>());
        });

    public static ChatClientBuilder UseInputGuard(ChatClientBuilder builder, Action<GuardrailsOptions>? configure) =>
        builder.Use((innerClient, services) =>
        {
            IOptionsMonitor<GuardrailsOptions>? monitor = services.GetService<IOptionsMonitor<GuardrailsOptions>>();
            var client = new InputGuardChatClient(
                innerClient, Create(monitor, configure).EffectiveInput(), services.GetService<ILoggerFactory>(), services.GetService<TimeProvider>());
            client.TrackChanges(monitor?.OnChange((_, name) =>
            {
                if (name == Options.DefaultName)
                {
                    client.Reconfigure(Create(monitor, configure).EffectiveInput());
                }
            }));
            return client;
        });

    public static ChatClientBuilder UseOutputFilter(ChatClientBuilder builder, Action<GuardrailsOptions>? configure) =>
        builder.Use((innerClient, services) =>
        {
            IOptionsMonitor<GuardrailsOptions>? monitor = services.GetService<IOptionsMonitor<GuardrailsOptions>>();
            var client = new OutputFilterChatClient(innerClient, Create(monitor, configure).EffectiveOutput(), services.GetService<ILoggerFactory>());
            client.TrackChanges(monitor?.OnChange((_, name) =>
            {
                if (name == Options.DefaultName)
                {
                    client.Reconfigure(Create(monitor, configure).EffectiveOutput());
                }
            }));
            return client;
        });

    public static ChatClientBuilder UseToolPermissions(ChatClientBuilder builder, Action<GuardrailsOptions>? configure) =>
        builder.Use((innerClient, services) =>
        {
            IOptionsMonitor<GuardrailsOptions>? monitor = services.GetService<IOptionsMonitor<GuardrailsOptions>>();
            ToolPolicyOptions Resolve()
            {
                ToolPolicyOptions tools = Create(monitor, configure).EffectiveTools();
                tools.StateStore ??= services.GetService<IToolStateStore>();
                tools.Approver ??= services.GetService<IToolApprover>();
                return tools;
            }

            var client = new ToolPermissionChatClient(innerClient, Resolve(), services.GetService<ILoggerFactory>(), services.GetService<TimeProvider>());
            client.TrackChanges(monitor?.OnChange((_, name) =>
            {
                if (name == Options.DefaultName)
                {
                    client.Reconfigure(Resolve());
                }
            }));
            return client;
        });
}
