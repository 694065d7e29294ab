using System.Globalization;

namespace SafetyLayers;

/// <summary>A call budget: at most <see cref="MaxCalls"/> calls of the matching tools per scope (and, when set, per sliding window).</summary>
internal sealed class ToolBudget(ToolGlob glob, int maxCalls, ToolBudgetScope scope, TimeSpan? window)
{
    public ToolGlob Glob { get; } = glob;

    public int MaxCalls { get; } = maxCalls;

    public ToolBudgetScope Scope { get; } = scope;

    public TimeSpan? Window { get; } = window;

    /// <summary>Gets the stable id under which conversation state counts this budget's calls (the same on every machine).</summary>
    public string Id { get; } = string.Create(CultureInfo.InvariantCulture, $"{glob.Pattern}|{maxCalls}|{scope}|{window?.TotalSeconds}");

    public string Describe() => Window is { } w
        ? string.Create(CultureInfo.InvariantCulture, $"budget of {MaxCalls} calls of '{Glob.Pattern}' per {w} reached")
        : string.Create(CultureInfo.InvariantCulture, $"budget of {MaxCalls} calls of '{Glob.Pattern}' per {Scope.ToString().ToLowerInvariant()} reached");
}
