using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SafetyLayers;

/// <summary>What a function's JSON schema says about its arguments: required names, top-level types, and whether others are allowed.</summary>
internal sealed class ToolSchema
{
    private static readonly ConditionalWeakTable<AIFunction, ToolSchema> s_cache = [];
    private static readonly ToolSchema s_empty = new([], [], additionalAllowed: true);

    private readonly string[] _required;
    private readonly (string Name, ToolArgumentType[] Types, bool Nullable)[] _properties;
    private readonly bool _additionalAllowed;

    private ToolSchema(string[] required, (string, ToolArgumentType[], bool)[] properties, bool additionalAllowed)
    {
        _required = required;
        _properties = properties;
        _additionalAllowed = additionalAllowed;
    }

    public static ToolSchema For(AIFunction function) => s_cache.GetValue(function, static f => Parse(f.JsonSchema));

    public static ToolSchema Parse(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return s_empty;
        }

        string[] required = schema.TryGetProperty("required", out JsonElement req) && req.ValueKind == JsonValueKind.Array
            ? [.. req.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
        var properties = new List<(string, ToolArgumentType[], bool)>();
        if (schema.TryGetProperty("properties", out JsonElement props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in props.EnumerateObject())
            {
                (ToolArgumentType[] types, bool nullable) = property.Value.ValueKind == JsonValueKind.Object ? TypesOf(property.Value) : ([], true);
                properties.Add((property.Name, types, nullable));
            }
        }

        bool additional = !(schema.TryGetProperty("additionalProperties", out JsonElement extra) && extra.ValueKind == JsonValueKind.False);
        return new ToolSchema(required, [.. properties], additional);
    }

    /// <summary>Returns <see langword="null"/> when the arguments fit the schema, else what is malformed (names only, never values).</summary>
    public string? Check(IDictionary<string, object?>? arguments)
    {
        foreach (string name in _required)
        {
            if (arguments is null || !arguments.ContainsKey(name))
            {
                return $"the required argument '{name}' is missing";
            }
        }

        if (arguments is null)
        {
            return null;
        }

        foreach ((string name, ToolArgumentType[] types, bool nullable) in _properties)
        {
            if (types.Length == 0 || !arguments.TryGetValue(name, out object? value))
            {
                continue;
            }

            if (!ToolArgumentValue.TryGetType(value, out ToolArgumentType actual))
            {
                if (Array.IndexOf(_required, name) >= 0 && !nullable)
                {
                    return $"the required argument '{name}' is null";
                }

                continue;
            }

            if (!Fits(actual, types))
            {
                return $"argument '{name}' is of type {actual}, the schema expects {string.Join(" or ", types)}";
            }
        }

        if (!_additionalAllowed && arguments.Count > 0)
        {
            foreach (string name in arguments.Keys)
            {
                if (!Array.Exists(_properties, p => p.Name == name))
                {
                    return $"argument '{name}' is not part of the tool's schema";
                }
            }
        }

        return null;
    }

    private static bool Fits(ToolArgumentType actual, ToolArgumentType[] types)
    {
        foreach (ToolArgumentType expected in types)
        {
            if (actual == expected || (expected == ToolArgumentType.Number && actual == ToolArgumentType.Integer))
            {
                return true;
            }
        }

        return false;
    }

    private static (ToolArgumentType[] Types, bool Nullable) TypesOf(JsonElement property)
    {
        if (!property.TryGetProperty("type", out JsonElement type))
        {
            return ([], true);
        }

        var types = new List<ToolArgumentType>();
        bool nullable = false;
        foreach (JsonElement item in type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray()] : (JsonElement[])[type])
        {
            switch (item.ValueKind == JsonValueKind.String ? item.GetString() : null)
            {
                case "string": types.Add(ToolArgumentType.String); break;
                case "number": types.Add(ToolArgumentType.Number); break;
                case "integer": types.Add(ToolArgumentType.Integer); break;
                case "boolean": types.Add(ToolArgumentType.Boolean); break;
                case "object": types.Add(ToolArgumentType.Object); break;
                case "array": types.Add(ToolArgumentType.Array); break;
                case "null": nullable = true; break;
                default: return ([], true);
            }
        }

        return ([.. types], nullable);
    }
}
