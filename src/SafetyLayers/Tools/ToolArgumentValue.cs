using System.Collections;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace SafetyLayers;

/// <summary>Reads argument values of tool calls, whether they are parsed JSON (<see cref="JsonElement"/>, from the model) or CLR values.</summary>
internal static class ToolArgumentValue
{
    [ThreadStatic]
    private static char[]? t_chars;

    /// <summary>Gets the JSON type of <paramref name="value"/>; <see langword="false"/> for <see langword="null"/>.</summary>
    public static bool TryGetType(object? value, out ToolArgumentType type)
    {
        switch (value)
        {
            case null:
                type = default;
                return false;
            case JsonElement element:
                return TryGetType(element, out type);
            case string or char or Guid or DateTime or DateTimeOffset or Uri or Enum:
                type = ToolArgumentType.String;
                return true;
            case bool:
                type = ToolArgumentType.Boolean;
                return true;
            case sbyte or byte or short or ushort or int or uint or long or ulong or Int128 or UInt128:
                type = ToolArgumentType.Integer;
                return true;
            case float or double or decimal or Half:
                type = TryGetNumber(value, out double d) && Math.Floor(d) == d ? ToolArgumentType.Integer : ToolArgumentType.Number;
                return true;
            case IDictionary:
                type = ToolArgumentType.Object;
                return true;
            case IEnumerable:
                type = ToolArgumentType.Array;
                return true;
            default:
                type = ToolArgumentType.Object;
                return true;
        }
    }

    /// <summary>Gets the JSON type of <paramref name="element"/>; <see langword="false"/> for JSON <c>null</c> and undefined.</summary>
    public static bool TryGetType(JsonElement element, out ToolArgumentType type)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String: type = ToolArgumentType.String; return true;
            case JsonValueKind.Number:
                type = element.TryGetInt64(out _) || (element.TryGetDouble(out double d) && Math.Floor(d) == d) ? ToolArgumentType.Integer : ToolArgumentType.Number;
                return true;
            case JsonValueKind.True or JsonValueKind.False: type = ToolArgumentType.Boolean; return true;
            case JsonValueKind.Object: type = ToolArgumentType.Object; return true;
            case JsonValueKind.Array: type = ToolArgumentType.Array; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Reads a number (also from a numeric JSON value); strings are not numbers.</summary>
    public static bool TryGetNumber(object? value, out double number)
    {
        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Number } element:
                return element.TryGetDouble(out number) && double.IsFinite(number);
            case sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal:
                number = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                return double.IsFinite(number);
            case Half h:
                number = (double)h;
                return double.IsFinite(number);
            default:
                number = 0;
                return false;
        }
    }

    /// <summary>
    /// Reads a string value as characters. A JSON string without escapes is decoded into a per-thread buffer without allocating:
    /// the span is valid until the next call on the same thread.
    /// </summary>
    public static bool TryGetText(object? value, out ReadOnlySpan<char> text)
    {
        switch (value)
        {
            case string s:
                text = s;
                return true;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                text = GetChars(element);
                return true;
            default:
                text = default;
                return false;
        }
    }

    /// <summary>Gets the number of elements of an array value, or -1.</summary>
    public static int GetArrayLength(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Array } element => element.GetArrayLength(),
        string => -1,
        ICollection collection => collection.Count,
        _ => -1,
    };

    /// <summary>Calls <paramref name="visit"/> with every string inside <paramref name="value"/> (nested objects and arrays included).</summary>
    /// <returns><see langword="false"/> as soon as <paramref name="visit"/> does.</returns>
    public static bool VisitStrings<TState>(object? value, ref TState state, StringVisitor<TState> visit, int depth = 0)
    {
        if (depth > 32)
        {
            return true;
        }

        switch (value)
        {
            case null:
                return true;
            case string s:
                return visit(ref state, s);
            case JsonElement element:
                return VisitStrings(element, ref state, visit, depth);
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (!VisitStrings(entry.Value, ref state, visit, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case IEnumerable items:
                foreach (object? item in items)
                {
                    if (!VisitStrings(item, ref state, visit, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    /// <summary>Renders a value as text for hashing and scanning (JSON for non-strings).</summary>
    public static string Render(object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null: return string.Empty;
            case string s: return s;
            case JsonElement element: return element.ValueKind == JsonValueKind.String ? element.GetString() ?? string.Empty : element.GetRawText();
            case IDictionary<string, object?> dictionary: return Serialize(dictionary, typeof(IDictionary<string, object?>), options);
            default: return Serialize(value, value.GetType(), options);
        }
    }

    private static string Serialize(object value, Type type, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Serialize(value, options.GetTypeInfo(type));
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException or ArgumentException)
        {
            return value.ToString() ?? string.Empty;
        }
    }

    private static bool VisitStrings<TState>(JsonElement element, ref TState state, StringVisitor<TState> visit, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return visit(ref state, GetChars(element));
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!VisitStrings(property.Value, ref state, visit, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (!VisitStrings(item, ref state, visit, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static ReadOnlySpan<char> GetChars(JsonElement element)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length >= 2 && raw[0] == (byte)'"')
        {
            raw = raw[1..^1];
        }

        if (raw.Contains((byte)'\\'))
        {
            return element.GetString();
        }

        char[] buffer = t_chars ??= new char[256];
        if (buffer.Length < raw.Length)
        {
            t_chars = buffer = new char[Math.Max(raw.Length, buffer.Length * 2)];
        }

        int written = Encoding.UTF8.GetChars(raw, buffer);
        return buffer.AsSpan(0, written);
    }
}

/// <summary>Receives one string value; returns <see langword="false"/> to stop the visit.</summary>
internal delegate bool StringVisitor<TState>(ref TState state, ReadOnlySpan<char> text);
