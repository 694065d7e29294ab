using System.Collections;
using System.Text.Json;

namespace SafetyLayers;

/// <summary>
/// A path into a call's arguments: a top-level name, then properties separated by dots and <c>[*]</c> for every element of an array
/// (<c>to</c>, <c>options.url</c>, <c>attachments[*].path</c>). Works on parsed JSON and on CLR dictionaries and lists.
/// </summary>
internal sealed class ArgumentPath
{
    private const string AnyElement = "[*]";

    private ArgumentPath(string text, string[] segments)
    {
        Text = text;
        Segments = segments;
    }

    public string Text { get; }

    public string[] Segments { get; }

    /// <summary>Parses a path; throws <see cref="ArgumentException"/> for an empty segment.</summary>
    public static ArgumentPath Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var segments = new List<string>();
        foreach (string part in text.Split('.'))
        {
            string name = part;
            int arrays = 0;
            while (name.EndsWith(AnyElement, StringComparison.Ordinal))
            {
                name = name[..^AnyElement.Length];
                arrays++;
            }

            if (name.Length == 0 && (segments.Count == 0 || arrays == 0))
            {
                throw new ArgumentException($"The argument path '{text}' has an empty segment.", nameof(text));
            }

            if (name.Length > 0)
            {
                segments.Add(name);
            }

            for (int i = 0; i < arrays; i++)
            {
                segments.Add(AnyElement);
            }
        }

        return new ArgumentPath(text, [.. segments]);
    }

    /// <summary>Gets whether the path leads to at least one value that is present (JSON <c>null</c> counts unless <paramref name="nonNull"/>).</summary>
    public bool Exists(IDictionary<string, object?>? arguments, bool nonNull)
    {
        if (arguments is null || !arguments.TryGetValue(Segments[0], out object? value))
        {
            return false;
        }

        bool found = false;
        Visit(value, 1, ref found, nonNull, static (ref bool f, object? v, bool nn) =>
        {
            f |= !nn || !(v is null || v is JsonElement { ValueKind: JsonValueKind.Null });
            return null;
        });
        return found;
    }

    /// <summary>Checks every value the path leads to; returns the first problem, or <see langword="null"/>. Missing values pass.</summary>
    public string? Check(IDictionary<string, object?>? arguments, ToolArgumentConstraint constraint)
    {
        if (arguments is null || !arguments.TryGetValue(Segments[0], out object? value))
        {
            return null;
        }

        if (Segments.Length == 1)
        {
            return constraint.Check(value);
        }

        ToolArgumentConstraint state = constraint;
        return Visit(value, 1, ref state, false, static (ref ToolArgumentConstraint c, object? v, bool _) => c.Check(v));
    }

    private delegate string? Leaf<TState>(ref TState state, object? value, bool flag);

    private string? Visit<TState>(object? value, int index, ref TState state, bool flag, Leaf<TState> leaf)
    {
        if (index == Segments.Length)
        {
            return leaf(ref state, value, flag);
        }

        string segment = Segments[index];
        if (segment == AnyElement)
        {
            switch (value)
            {
                case JsonElement { ValueKind: JsonValueKind.Array } array:
                    foreach (JsonElement item in array.EnumerateArray())
                    {
                        if (Visit(item, index + 1, ref state, flag, leaf) is { } problem)
                        {
                            return problem;
                        }
                    }

                    return null;
                case IEnumerable items and not string and not IDictionary:
                    foreach (object? item in items)
                    {
                        if (Visit(item, index + 1, ref state, flag, leaf) is { } problem)
                        {
                            return problem;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Object } element when element.TryGetProperty(segment, out JsonElement child) =>
                Visit(child, index + 1, ref state, flag, leaf),
            IDictionary<string, object?> dictionary when dictionary.TryGetValue(segment, out object? child) => Visit(child, index + 1, ref state, flag, leaf),
            IDictionary dictionary when dictionary.Contains(segment) => Visit(dictionary[segment], index + 1, ref state, flag, leaf),
            _ => null,
        };
    }
}
