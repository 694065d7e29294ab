using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SafetyLayers;

/// <summary>
/// Tool descriptions and schemas as first seen by one client, pinned by content: a description that carried an injection at first sight
/// (MCP tool poisoning) or that changed since ("rug pull") withdraws the tool.
/// </summary>
internal sealed class ToolDescriptionPins
{
    private readonly ConcurrentDictionary<string, Pin> _pins = new(StringComparer.Ordinal);

    public int Count => _pins.Count;

    /// <summary>Returns <see langword="null"/> when the tool may be offered, else the rule and reason that withdraw it.</summary>
    public (string RuleId, string Reason)? Check(ToolPolicy policy, AIFunction function)
    {
        string description = function.Description ?? string.Empty;
        ReadOnlySpan<byte> schema = Schema(function.JsonSchema);
        if (!_pins.TryGetValue(function.Name, out Pin? pin))
        {
            pin = FirstSight(policy, function.Name, description, schema);
            if (_pins.Count < ToolPolicyDefaults.MaxPinnedTools)
            {
                pin = _pins.GetOrAdd(function.Name, pin);
            }
        }

        if (!string.Equals(pin.Description, description, StringComparison.Ordinal) || !schema.SequenceEqual(pin.Schema))
        {
            return (ToolRuleIds.ChangedDescription,
                $"the description or schema of tool '{function.Name}' changed since it was first seen (pinned sha256:{pin.Hash[..16]})");
        }

        return pin.Poison is null ? null : (ToolRuleIds.PoisonedDescription, pin.Poison);
    }

    private static Pin FirstSight(ToolPolicy policy, string name, string description, ReadOnlySpan<byte> schema)
    {
        string text = description + "\n" + Encoding.UTF8.GetString(schema);
        TextScan scan = policy.ResultScanner.Scan(text);
        string? poison = null;
        foreach (TextFinding finding in scan.Findings)
        {
            if (finding.Action >= GuardrailAction.Block)
            {
                poison = $"the description of tool '{name}' carries an injection ({finding.RuleId})";
                break;
            }
        }

        byte[] content = [.. Encoding.UTF8.GetBytes(name), 0, .. Encoding.UTF8.GetBytes(description), 0, .. schema];
        return new Pin(description, schema.ToArray(), Convert.ToHexStringLower(SHA256.HashData(content)), poison);
    }

    private static ReadOnlySpan<byte> Schema(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Undefined ? default : JsonMarshal.GetRawUtf8Value(schema);

    private sealed record Pin(string Description, byte[] Schema, string Hash, string? Poison);
}
