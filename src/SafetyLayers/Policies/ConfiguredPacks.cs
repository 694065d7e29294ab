using System.Collections.Concurrent;

namespace SafetyLayers;

/// <summary>
/// Builds a layer's policy from a list of pack entries, as configuration gives them: a built-in pack id (<c>PI</c>, <c>EV</c>,
/// <c>PII</c>, <c>SEC</c>, <c>HARM</c>, <c>REF</c>) or the path of a pack file (<c>.json</c>), each optionally followed by
/// <c>=Action</c> to override the rules' actions (<c>SEC=Redact</c>, <c>packs/custom.json=Flag</c>).
/// </summary>
/// <remarks>
/// Built policies are cached per list and per file version (path, size, last write time), so a reload with the same packs costs a
/// lookup, and an edited pack file is picked up at the next reload.
/// </remarks>
internal static class ConfiguredPacks
{
    private const int CacheSize = 64;
    private static readonly ConcurrentDictionary<string, ScanPolicy> s_cache = new(StringComparer.Ordinal);

    /// <summary>Gets a layer's scanner: an explicit scanner or policy first, then the configured packs, else <paramref name="fallback"/>.</summary>
    /// <exception cref="InvalidOperationException">The packs cannot be loaded.</exception>
    public static TextScanner ResolveScanner(TextScanner? scanner, ScanPolicy? policy, IList<string>? packs, TextScanner fallback, string key)
    {
        if (scanner is null && policy is null && packs is { Count: > 0 })
        {
            var errors = new List<string>();
            policy = Build(packs, key, errors);
            if (policy is null)
            {
                Throw.InvalidOptions(errors);
            }
        }

        return GuardrailsDefaults.Resolve(scanner, policy, fallback);
    }

    /// <summary>Adds the problems of the configured packs (when they are in use) to <paramref name="errors"/>.</summary>
    public static void AddErrors(ScanPolicy? policy, IList<string>? packs, string key, List<string> errors)
    {
        if (policy is null && packs is { Count: > 0 })
        {
            _ = Build(packs, key, errors);
        }
    }

    /// <summary>Builds the policy, or adds errors naming <paramref name="key"/>:index and returns <see langword="null"/>.</summary>
    public static ScanPolicy? Build(IList<string> entries, string key, List<string> errors)
    {
        var packs = new List<(RulePack Pack, GuardrailAction? Action)>(entries.Count);
        var cacheKey = new System.Text.StringBuilder();
        for (int i = 0; i < entries.Count; i++)
        {
            string entry = entries[i]?.Trim() ?? string.Empty;
            int equals = entry.LastIndexOf('=');
            string name = (equals < 0 ? entry : entry[..equals]).Trim();
            GuardrailAction? action = null;
            if (equals >= 0)
            {
                if (!Enum.TryParse(entry[(equals + 1)..].Trim(), ignoreCase: true, out GuardrailAction parsed) || !Enum.IsDefined(parsed)
                    || int.TryParse(entry[(equals + 1)..], out _))
                {
                    errors.Add($"{key}:{i}: \"{entry[(equals + 1)..]}\" is not an action (Allow, Flag, Redact, RequireApproval, Block).");
                    continue;
                }

                action = parsed;
            }

            RulePack? pack = Resolve(name, out string? version, out string? problem);
            if (pack is null)
            {
                errors.Add($"{key}:{i}: {problem}");
                continue;
            }

            packs.Add((pack, action));
            cacheKey.Append(name).Append('|').Append(version).Append('|').Append(action).Append(';');
        }

        if (packs.Count == 0 || errors.Count > 0)
        {
            if (packs.Count == 0 && errors.Count == 0)
            {
                errors.Add($"{key} lists no rule pack.");
            }

            return null;
        }

        string cacheId = cacheKey.ToString();
        if (s_cache.TryGetValue(cacheId, out ScanPolicy? cached))
        {
            return cached;
        }

        var builder = new ScanPolicyBuilder();
        foreach ((RulePack pack, GuardrailAction? action) in packs)
        {
            _ = action is { } a ? builder.AddPack(pack, a) : builder.AddPack(pack);
        }

        ScanPolicy policy = builder.Build();
        if (s_cache.Count >= CacheSize)
        {
            s_cache.Clear();
        }

        s_cache[cacheId] = policy;
        return policy;
    }

    private static RulePack? Resolve(string name, out string? version, out string? problem)
    {
        version = null;
        problem = null;
        foreach (RulePack builtIn in RulePacks.All)
        {
            if (string.Equals(builtIn.Id, name, StringComparison.OrdinalIgnoreCase))
            {
                version = "built-in";
                return builtIn;
            }
        }

        if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"\"{name}\" is neither a built-in pack ({string.Join(", ", RulePacks.All.Select(p => p.Id))}) nor a pack file (.json).";
            return null;
        }

        var file = new FileInfo(name);
        if (!file.Exists)
        {
            problem = $"the pack file \"{name}\" does not exist (relative paths start at {Environment.CurrentDirectory}).";
            return null;
        }

        version = file.FullName + "@" + file.Length + "@" + file.LastWriteTimeUtc.Ticks;
        try
        {
            return RulePack.LoadFile(file.FullName);
        }
        catch (RulePackException ex)
        {
            problem = ex.Message;
            return null;
        }
        catch (IOException ex)
        {
            problem = $"the pack file \"{name}\" could not be read: {ex.Message}";
            return null;
        }
    }
}
