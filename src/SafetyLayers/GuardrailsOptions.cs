using Microsoft.Extensions.Logging;

namespace SafetyLayers;

/// <summary>Represents the options of a guarded pipeline built by <c>UseGuardrails</c>: one section per layer.</summary>
/// <remarks>
/// Through dependency injection the options bind from the configuration section <see cref="SectionName"/> (see
/// <c>AddGuardrails</c>); keys mirror the properties, for example <c>SafetyLayers:Input:ThrowOnBlock</c>.
/// </remarks>
public sealed class GuardrailsOptions
{
    /// <summary>The name of the configuration section the options bind from: <c>SafetyLayers</c>.</summary>
    public const string SectionName = "SafetyLayers";

    /// <summary>Gets the options of the input guard.</summary>
    public InputGuardOptions Input { get; private set; } = new();

    /// <summary>Gets the options of the output filter.</summary>
    public OutputFilterOptions Output { get; private set; } = new();

    /// <summary>Gets the options of the tool permission layer, which guards the calls of MEAI's function invocation.</summary>
    /// <value>By default unknown tools are allowed, results are scanned for injections, and the default flow rules apply to labelled tools.</value>
    public ToolPolicyOptions Tools { get; private set; } = new();

    /// <summary>Gets the options of the audit layer, the outermost layer of <c>UseGuardrails</c>.</summary>
    /// <value>By default every request is recorded through <see cref="ILogger"/> when an <see cref="ILoggerFactory"/> is available.</value>
    public AuditOptions Audit { get; private set; } = new();

    /// <summary>Gets or sets a value indicating whether every layer only records verdicts and never blocks or changes anything.</summary>
    /// <value>The default value is <see langword="false"/>. When <see langword="true"/>, it overrides the layers' own <c>MonitorOnly</c>.</value>
    /// <remarks>Monitor-only mode is how a team rolls a policy out: watch what it would do, then enforce it.</remarks>
    public bool MonitorOnly { get; set; }

    /// <summary>Gets or sets a callback that receives every verdict of every layer, after the layer's own callback.</summary>
    /// <value>The default is <see langword="null"/>. The callback must be thread-safe and must not throw.</value>
    public Action<GuardrailVerdict>? OnVerdict { get; set; }

    /// <summary>Gets the errors binding from configuration met, reported by validation with the key they concern.</summary>
    internal List<string> BindingErrors { get; } = [];

    internal GuardrailsOptions Clone()
    {
        var clone = new GuardrailsOptions { MonitorOnly = MonitorOnly, OnVerdict = OnVerdict, Input = Input.Clone(), Output = Output.Clone(), Tools = Tools.Clone(), Audit = Audit.Clone() };
        clone.BindingErrors.AddRange(BindingErrors);
        return clone;
    }

    /// <summary>Returns the problems of these options, each naming the key it concerns; empty when they are valid.</summary>
    internal List<string> GetErrors(string prefix)
    {
        var errors = new List<string>(BindingErrors);
        Input.AddErrors(errors, prefix + "Input:");
        Output.AddErrors(errors, prefix + "Output:");
        Tools.AddErrors(errors, prefix + "Tools:");
        return errors;
    }

    /// <summary>The input options with the pipeline-wide switches applied.</summary>
    internal InputGuardOptions EffectiveInput()
    {
        InputGuardOptions input = Input.Clone();
        input.MonitorOnly |= MonitorOnly;
        input.OnVerdict = Combine(input.OnVerdict, OnVerdict);
        return input;
    }

    /// <summary>The output options with the pipeline-wide switches applied.</summary>
    internal OutputFilterOptions EffectiveOutput()
    {
        OutputFilterOptions output = Output.Clone();
        output.MonitorOnly |= MonitorOnly;
        output.OnVerdict = Combine(output.OnVerdict, OnVerdict);
        return output;
    }

    /// <summary>The tool options with the pipeline-wide switches applied.</summary>
    internal ToolPolicyOptions EffectiveTools()
    {
        ToolPolicyOptions tools = Tools.Clone();
        tools.MonitorOnly |= MonitorOnly;
        return tools;
    }

    private static Action<GuardrailVerdict>? Combine(Action<GuardrailVerdict>? first, Action<GuardrailVerdict>? second) =>
        first is null ? second : second is null ? first : v => { first(v); second(v); };
}
