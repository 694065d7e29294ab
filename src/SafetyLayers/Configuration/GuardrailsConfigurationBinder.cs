using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SafetyLayers;

/// <summary>
/// Binds the <c>SafetyLayers</c> configuration section without reflection (trimming- and AOT-safe). Unknown keys and values
/// that do not parse become binding errors naming the key, reported by validation.
/// </summary>
internal static class GuardrailsConfigurationBinder
{
    /// <summary>Sections owned by layers that bind themselves (audit).</summary>
    private static readonly string[] s_otherLayers = ["Audit"];

    public static void Bind(IConfigurationSection section, GuardrailsOptions options)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "MONITORONLY": Bool(child, options, v => options.MonitorOnly = v); break;
                case "INPUT": BindInput(child, options); break;
                case "OUTPUT": BindOutput(child, options); break;
                case "TOOLS": BindTools(child, options); break;
                default:
                    if (!s_otherLayers.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                    {
                        Unknown(child, options, "MonitorOnly, Input, Output, Tools, Audit");
                    }

                    break;
            }
        }
    }

    private static void BindInput(IConfigurationSection section, GuardrailsOptions options)
    {
        InputGuardOptions input = options.Input;
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED": Bool(child, options, v => input.Enabled = v); break;
                case "THROWONBLOCK": Bool(child, options, v => input.ThrowOnBlock = v); break;
                case "REFUSALMESSAGE": input.RefusalMessage = child.Value ?? string.Empty; break;
                case "MONITORONLY": Bool(child, options, v => input.MonitorOnly = v); break;
                case "FAILOPEN": Bool(child, options, v => input.FailOpen = v); break;
                case "SCANASSISTANTMESSAGES": Bool(child, options, v => input.ScanAssistantMessages = v); break;
                case "SCANSYSTEMMESSAGES": Bool(child, options, v => input.ScanSystemMessages = v); break;
                case "VERDICTCACHESIZE": Int(child, options, v => input.VerdictCacheSize = v); break;
                case "VERDICTCACHEEXPIRATION": Duration(child, options, v => input.VerdictCacheExpiration = v); break;
                case "MAXTOKENS": Int(child, options, v => input.MaxTokens = v); break;
                case "PACKS": input.Packs = List(child); break;
                case "TOKENENCODING": Enum<TokenEncoding>(child, options, v => input.TokenEncoding = v); break;
                default:
                    Unknown(child, options, "Enabled, ThrowOnBlock, RefusalMessage, MonitorOnly, FailOpen, ScanAssistantMessages, ScanSystemMessages, VerdictCacheSize, VerdictCacheExpiration, MaxTokens, TokenEncoding, Packs");
                    break;
            }
        }
    }

    private static void BindOutput(IConfigurationSection section, GuardrailsOptions options)
    {
        OutputFilterOptions output = options.Output;
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED": Bool(child, options, v => output.Enabled = v); break;
                case "REFUSALMESSAGE": output.RefusalMessage = child.Value ?? string.Empty; break;
                case "PLACEHOLDER": output.Placeholder = child.Value ?? string.Empty; break;
                case "THROWONBLOCK": Bool(child, options, v => output.ThrowOnBlock = v); break;
                case "FILTERREASONING": Bool(child, options, v => output.FilterReasoning = v); break;
                case "MONITORONLY": Bool(child, options, v => output.MonitorOnly = v); break;
                case "FAILOPEN": Bool(child, options, v => output.FailOpen = v); break;
                case "PACKS": output.Packs = List(child); break;
                default:
                    Unknown(child, options, "Enabled, RefusalMessage, Placeholder, ThrowOnBlock, FilterReasoning, MonitorOnly, FailOpen, Packs");
                    break;
            }
        }
    }

    private static void BindTools(IConfigurationSection section, GuardrailsOptions options)
    {
        ToolPolicyOptions tools = options.Tools;
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED": Bool(child, options, v => tools.Enabled = v); break;
                case "STRICT": Bool(child, options, v => tools.Strict = v); break;
                case "MONITORONLY": Bool(child, options, v => tools.MonitorOnly = v); break;
                case "TERMINATEONDENY": Bool(child, options, v => tools.TerminateOnDeny = v); break;
                case "DENIALMESSAGE": tools.DenialMessage = child.Value ?? string.Empty; break;
                case "SCANRESULTS": Bool(child, options, v => tools.ScanResults = v); break;
                case "INJECTEDRESULTACTION": Enum<ToolResultAction>(child, options, v => tools.InjectedResultAction = v); break;
                case "WITHHELDRESULTMESSAGE": tools.WithheldResultMessage = child.Value ?? string.Empty; break;
                case "SCANARGUMENTS": Bool(child, options, v => tools.ScanArguments = v); break;
                case "SECRETINARGUMENTS": Enum<GuardrailAction>(child, options, v => tools.SecretInArguments = v); break;
                case "PIIINARGUMENTS": Enum<GuardrailAction>(child, options, v => tools.PiiInArguments = v); break;
                case "PINDESCRIPTIONS": Bool(child, options, v => tools.PinDescriptions = v); break;
                case "MAXRESULTTOKENS": Int(child, options, v => tools.MaxResultTokens = v); break;
                case "TOKENENCODING": Enum<TokenEncoding>(child, options, v => tools.TokenEncoding = v); break;
                case "UNTRUSTEDEGRESS": Enum<ToolAccess>(child, options, v => tools.UntrustedEgress = v); break;
                case "PRIVATEDATAEGRESS": Enum<ToolAccess>(child, options, v => tools.PrivateDataEgress = v); break;
                case "TAINTEDPRIVATEDATAEGRESS": Enum<ToolAccess>(child, options, v => tools.TaintedPrivateDataEgress = v); break;
                case "ALLOW": Patterns(child, options, p => tools.Allow(p)); break;
                case "DENY": Patterns(child, options, p => tools.Deny(p)); break;
                case "REQUIREAPPROVAL": Patterns(child, options, p => tools.RequireApproval(p)); break;
                case "LABELS":
                    foreach (IConfigurationSection label in child.GetChildren())
                    {
                        Enum<ToolLabels>(label, options, v => tools.Label(label.Key, v));
                    }

                    break;
                default:
                    Unknown(child, options, "Enabled, Strict, MonitorOnly, TerminateOnDeny, DenialMessage, ScanResults, InjectedResultAction, " +
                        "WithheldResultMessage, ScanArguments, SecretInArguments, PiiInArguments, PinDescriptions, UntrustedEgress, PrivateDataEgress, " +
                        "TaintedPrivateDataEgress, MaxResultTokens, TokenEncoding, Allow, Deny, RequireApproval, Labels");
                    break;
            }
        }
    }

    /// <summary>Binds a list: an array (<c>Key:0</c>, <c>Key:1</c>) or one comma-separated value.</summary>
    private static List<string> List(IConfigurationSection child) =>
        [.. (child.Value is { } single ? single.Split(',') : child.GetChildren().Select(c => c.Value ?? string.Empty)).Select(v => v.Trim())];

    /// <summary>Binds a list of tool name patterns (see <see cref="List"/>); empty entries are errors.</summary>
    private static void Patterns(IConfigurationSection child, GuardrailsOptions options, Action<string> add)
    {
        foreach (string value in List(child))
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                options.BindingErrors.Add($"{child.Path}: a tool name pattern must not be empty.");
                continue;
            }

            add(value);
        }
    }

    private static void Enum<TEnum>(IConfigurationSection child, GuardrailsOptions options, Action<TEnum> set)
        where TEnum : struct, Enum
    {
        if (System.Enum.TryParse(child.Value, ignoreCase: true, out TEnum value) && (System.Enum.IsDefined(value) || typeof(TEnum).IsDefined(typeof(FlagsAttribute), false))
            && !int.TryParse(child.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            set(value);
        }
        else
        {
            options.BindingErrors.Add($"{child.Path}: \"{child.Value}\" is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
        }
    }

    private static void Bool(IConfigurationSection child, GuardrailsOptions options, Action<bool> set)
    {
        if (bool.TryParse(child.Value, out bool value))
        {
            set(value);
        }
        else
        {
            options.BindingErrors.Add($"{child.Path}: \"{child.Value}\" is not a boolean (true or false).");
        }
    }

    private static void Int(IConfigurationSection child, GuardrailsOptions options, Action<int> set)
    {
        if (int.TryParse(child.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            set(value);
        }
        else
        {
            options.BindingErrors.Add($"{child.Path}: \"{child.Value}\" is not an integer.");
        }
    }

    private static void Duration(IConfigurationSection child, GuardrailsOptions options, Action<TimeSpan> set)
    {
        if (TimeSpan.TryParse(child.Value, CultureInfo.InvariantCulture, out TimeSpan value))
        {
            set(value);
        }
        else
        {
            options.BindingErrors.Add($"{child.Path}: \"{child.Value}\" is not a duration (for example 01:00:00).");
        }
    }

    private static void Unknown(IConfigurationSection child, GuardrailsOptions options, string known) =>
        options.BindingErrors.Add($"{child.Path} is not a known setting (known here: {known}).");
}
