using System.Text.Json;
using Microsoft.Extensions.AI;
using SafetyLayers.Testing;

namespace SafetyLayers.Tests.Tools;

/// <summary>Lets tests script calls with anonymous objects as arguments.</summary>
internal static class ScriptedAgentExtensions
{
    public static ScriptedAgentChatClient Calls(this ScriptedAgentChatClient model, string tool, object arguments) => model.Calls(tool, ToDictionary(arguments));

    public static ScriptedAgentChatClient Obeys(this ScriptedAgentChatClient model, string trigger, string tool, object arguments) =>
        model.Obeys(trigger, tool, ToDictionary(arguments));

    private static Dictionary<string, object?> ToDictionary(object arguments) =>
        JsonSerializer.SerializeToElement(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(arguments.GetType()))
            .EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
}
