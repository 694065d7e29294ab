using System.Text.Json;

namespace SafetyLayers.Scanning;

/// <summary>Reads the rule-pack JSON format (schema version 1) strictly: unknown fields, wrong types and bad values are errors.</summary>
internal static class RulePackReader
{
    private static readonly HashSet<string> s_packFields = ["$schema", "schemaVersion", "id", "name", "version", "description", "normalization", "rules"];
    private static readonly HashSet<string> s_ruleFields =
    [
        "id", "title", "description", "category", "severity", "action", "label", "references",
        "phrases", "variants", "regex", "ignoreCase", "prefilter", "prefilterCharacters", "validator", "maxLength", "maxLengthBeforePrefilter", "charactersBeforePrefilter", "startsAtWordBoundary", "minPrefilterCharacters", "maxPrefilterGap", "builtin", "tests",
    ];

    private static readonly HashSet<string> s_testFields = ["positive", "negative"];

    public static RulePack Read(Stream utf8Json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new RulePackException(source, null, null, $"invalid JSON at line {ex.LineNumber + 1}: {ex.Message}", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RulePackException(source, null, null, "the pack must be a JSON object.");
            }

            CheckFields(root, s_packFields, source, null, null);
            int schemaVersion = RequiredInt(root, "schemaVersion", source, null);
            if (schemaVersion != RulePack.SchemaVersion)
            {
                throw new RulePackException(source, null, "schemaVersion", $"schema version {schemaVersion} is not supported; this library reads version {RulePack.SchemaVersion}.");
            }

            string id = RequiredString(root, "id", source, null);
            string name = RequiredString(root, "name", source, null);
            string version = RequiredString(root, "version", source, null);
            TextNormalization normalization = ReadNormalization(root, source);
            if (!root.TryGetProperty("rules", out JsonElement rulesElement) || rulesElement.ValueKind != JsonValueKind.Array)
            {
                throw new RulePackException(source, null, "rules", "the pack needs a 'rules' array.");
            }

            var rules = new List<ScanRule>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            int position = 0;
            foreach (JsonElement ruleElement in rulesElement.EnumerateArray())
            {
                ScanRule rule = ReadRule(ruleElement, source, position++);
                if (!ids.Add(rule.Id))
                {
                    throw new RulePackException(source, rule.Id, "id", "the id occurs more than once in the pack.");
                }

                rules.Add(rule);
            }

            return new RulePack(id, name, version, normalization, rules)
            {
                Description = OptionalString(root, "description", source, null) ?? string.Empty,
            };
        }
    }

    public static void CheckTestVectors(RulePack pack, string source)
    {
        var builder = new ScanPolicyBuilder().AddPack(pack);
        if (pack.Rules.Any(r => r.Detector is BuiltInDetector { Kind: BuiltInDetectorKind.EncodedPayload }) && pack != RulePacks.PromptInjection)
        {
            builder.AddPack(RulePacks.PromptInjection);   // encoded payloads are decoded and rescanned with the policy's normalized rules
        }

        ScanPolicy policy = builder.Build();
        foreach (ScanRule rule in pack.Rules)
        {
            for (int i = 0; i < rule.PositiveExamples.Count; i++)
            {
                if (!Fires(policy, rule, rule.PositiveExamples[i]))
                {
                    throw new RulePackException(source, rule.Id, $"tests.positive[{i}]", $"the rule does not fire on \"{Shorten(rule.PositiveExamples[i])}\".");
                }
            }

            for (int i = 0; i < rule.NegativeExamples.Count; i++)
            {
                if (Fires(policy, rule, rule.NegativeExamples[i]))
                {
                    throw new RulePackException(source, rule.Id, $"tests.negative[{i}]", $"the rule fires on \"{Shorten(rule.NegativeExamples[i])}\".");
                }
            }
        }
    }

    private static bool Fires(ScanPolicy policy, ScanRule rule, string text)
    {
        foreach (ScanFinding finding in policy.Scan(text).Findings)
        {
            if (finding.RuleId == rule.Id)
            {
                return true;
            }
        }

        return false;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    private static ScanRule ReadRule(JsonElement element, string source, int position)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new RulePackException(source, $"#{position}", null, "a rule must be a JSON object.");
        }

        string id = element.TryGetProperty("id", out JsonElement idElement) && idElement.ValueKind == JsonValueKind.String
            ? idElement.GetString()! : throw new RulePackException(source, $"#{position}", "id", "the rule needs a string 'id'.");
        CheckFields(element, s_ruleFields, source, id, null);
        string title = RequiredString(element, "title", source, id);
        string category = RequiredString(element, "category", source, id);
        RuleSeverity severity = RequiredEnum<RuleSeverity>(element, "severity", source, id);
        GuardrailAction action = RequiredEnum<GuardrailAction>(element, "action", source, id);

        RuleDetector detector = ReadDetector(element, source, id);
        (string[] positive, string[] negative) = ReadTests(element, source, id);
        try
        {
            var rule = new ScanRule(id, title, category, severity, action, detector)
            {
                References = OptionalStringArray(element, "references", source, id) ?? [],
                PositiveExamples = positive,
                NegativeExamples = negative,
            };
            string? label = OptionalString(element, "label", source, id);
            return label is null ? rule : new ScanRule(id, title, category, severity, action, detector)
            {
                Label = label,
                References = rule.References,
                PositiveExamples = positive,
                NegativeExamples = negative,
            };
        }
        catch (ArgumentException ex)
        {
            throw new RulePackException(source, id, "id", ex.Message, ex);
        }
    }

    private static RuleDetector ReadDetector(JsonElement element, string source, string id)
    {
        bool hasPhrases = element.TryGetProperty("phrases", out _);
        bool hasRegex = element.TryGetProperty("regex", out _);
        bool hasBuiltIn = element.TryGetProperty("builtin", out _);
        if ((hasPhrases ? 1 : 0) + (hasRegex ? 1 : 0) + (hasBuiltIn ? 1 : 0) != 1)
        {
            throw new RulePackException(source, id, "phrases|regex|builtin", "a rule needs exactly one detector: 'phrases', 'regex' or 'builtin'.");
        }

        if (!hasPhrases && element.TryGetProperty("variants", out _))
        {
            throw new RulePackException(source, id, "variants", "the field only applies to 'phrases' rules.");
        }

        if (!hasRegex)
        {
            foreach (string field in (ReadOnlySpan<string>)["ignoreCase", "prefilter", "prefilterCharacters", "validator", "maxLength", "maxLengthBeforePrefilter", "charactersBeforePrefilter", "startsAtWordBoundary", "minPrefilterCharacters", "maxPrefilterGap"])
            {
                if (element.TryGetProperty(field, out _))
                {
                    throw new RulePackException(source, id, field, "the field only applies to 'regex' rules.");
                }
            }
        }

        if (hasPhrases)
        {
            string[] phrases = OptionalStringArray(element, "phrases", source, id) ?? [];
            try
            {
                return new PhraseDetector(phrases) { Variants = ReadVariants(element, source, id) };
            }
            catch (ArgumentException ex)
            {
                throw new RulePackException(source, id, "phrases", ex.Message, ex);
            }
        }

        if (hasBuiltIn)
        {
            try
            {
                return new BuiltInDetector(RequiredString(element, "builtin", source, id));
            }
            catch (ArgumentException ex)
            {
                throw new RulePackException(source, id, "builtin", ex.Message, ex);
            }
        }

        string pattern = RequiredString(element, "regex", source, id);
        int maxLength = RequiredInt(element, "maxLength", source, id);
        try
        {
            _ = new RegexDetector(pattern, maxLength);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new RulePackException(source, id, "maxLength", ex.Message, ex);
        }
        catch (ArgumentException ex)
        {
            throw new RulePackException(source, id, "regex", $"invalid regex: {ex.Message}", ex);
        }

        int? maxLengthBeforePrefilter = OptionalInt(element, "maxLengthBeforePrefilter", source, id);
        if (maxLengthBeforePrefilter is < 0 || maxLengthBeforePrefilter > maxLength)
        {
            throw new RulePackException(source, id, "maxLengthBeforePrefilter", $"the field must be between 0 and maxLength ({maxLength}).");
        }

        int? minPrefilterCharacters = OptionalInt(element, "minPrefilterCharacters", source, id);
        if (minPrefilterCharacters is not null && (minPrefilterCharacters < 1 || minPrefilterCharacters > maxLength || !element.TryGetProperty("prefilterCharacters", out _)))
        {
            throw new RulePackException(source, id, "minPrefilterCharacters", $"the field needs prefilterCharacters and must be between 1 and maxLength ({maxLength}).");
        }

        int? maxPrefilterGap = OptionalInt(element, "maxPrefilterGap", source, id);
        if (maxPrefilterGap is not null && (maxPrefilterGap < 0 || maxPrefilterGap > maxLength || !element.TryGetProperty("prefilterCharacters", out _)))
        {
            throw new RulePackException(source, id, "maxPrefilterGap", $"the field needs prefilterCharacters and must be between 0 and maxLength ({maxLength}).");
        }

        try
        {
            return new RegexDetector(pattern, maxLength)
            {
                MaxLengthBeforePrefilter = maxLengthBeforePrefilter,
                MinPrefilterCharacters = minPrefilterCharacters,
                MaxPrefilterGap = maxPrefilterGap,
                CharactersBeforePrefilter = OptionalString(element, "charactersBeforePrefilter", source, id),
                IgnoreCase = OptionalBool(element, "ignoreCase", source, id),
                StartsAtWordBoundary = OptionalBool(element, "startsAtWordBoundary", source, id),
                Prefilter = OptionalStringArray(element, "prefilter", source, id) ?? [],
                PrefilterCharacters = OptionalString(element, "prefilterCharacters", source, id),
                Validator = OptionalString(element, "validator", source, id),
            };
        }
        catch (ArgumentException ex)
        {
            throw new RulePackException(source, id, "validator", ex.Message, ex);
        }
    }

    private static (string[] Positive, string[] Negative) ReadTests(JsonElement element, string source, string id)
    {
        if (!element.TryGetProperty("tests", out JsonElement tests))
        {
            return ([], []);
        }

        if (tests.ValueKind != JsonValueKind.Object)
        {
            throw new RulePackException(source, id, "tests", "'tests' must be an object with 'positive' and 'negative' arrays.");
        }

        CheckFields(tests, s_testFields, source, id, "tests.");
        return (OptionalStringArray(tests, "positive", source, id, "tests.") ?? [], OptionalStringArray(tests, "negative", source, id, "tests.") ?? []);
    }

    private static TextNormalization ReadNormalization(JsonElement root, string source)
    {
        if (!root.TryGetProperty("normalization", out JsonElement element))
        {
            return TextNormalization.None;
        }

        string[] names = element.ValueKind == JsonValueKind.String ? [element.GetString()!] : OptionalStringArray(root, "normalization", source, null) ?? [];
        TextNormalization steps = TextNormalization.None;
        foreach (string name in names)
        {
            if (!Enum.TryParse(name, ignoreCase: true, out TextNormalization step) || int.TryParse(name, out _))
            {
                throw new RulePackException(source, null, "normalization", $"unknown normalization step \"{name}\"; known: {string.Join(", ", Enum.GetNames<TextNormalization>())}.");
            }

            steps |= step;
        }

        return steps;
    }

    private static PhraseVariants ReadVariants(JsonElement element, string source, string id)
    {
        PhraseVariants variants = PhraseVariants.None;
        foreach (string name in OptionalStringArray(element, "variants", source, id) ?? [])
        {
            if (!Enum.TryParse(name, ignoreCase: true, out PhraseVariants variant) || int.TryParse(name, out _))
            {
                throw new RulePackException(source, id, "variants", $"unknown phrase variant \"{name}\"; known: rot13, spaceless.");
            }

            variants |= variant;
        }

        return variants;
    }

    private static void CheckFields(JsonElement element, HashSet<string> allowed, string source, string? ruleId, string? prefix)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                throw new RulePackException(source, ruleId, prefix + property.Name, "unknown field.");
            }
        }
    }

    private static string RequiredString(JsonElement element, string field, string source, string? ruleId) =>
        OptionalString(element, field, source, ruleId) ?? throw new RulePackException(source, ruleId, field, "the field is required.");

    private static string? OptionalString(JsonElement element, string field, string source, string? ruleId)
    {
        if (!element.TryGetProperty(field, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : throw new RulePackException(source, ruleId, field, "the field must be a non-empty string.");
    }

    private static int RequiredInt(JsonElement element, string field, string source, string? ruleId) =>
        element.TryGetProperty(field, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result)
            ? result
            : throw new RulePackException(source, ruleId, field, "the field is required and must be an integer.");

    private static int? OptionalInt(JsonElement element, string field, string source, string? ruleId) =>
        !element.TryGetProperty(field, out JsonElement value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result) ? result
        : throw new RulePackException(source, ruleId, field, "the field must be an integer.");

    private static bool OptionalBool(JsonElement element, string field, string source, string? ruleId) =>
        element.TryGetProperty(field, out JsonElement value)
        && (value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.ValueKind == JsonValueKind.True
            : throw new RulePackException(source, ruleId, field, "the field must be true or false."));

    private static T RequiredEnum<T>(JsonElement element, string field, string source, string ruleId)
        where T : struct, Enum
    {
        string text = RequiredString(element, field, source, ruleId);
        return Enum.TryParse(text, ignoreCase: true, out T value) && !int.TryParse(text, out _)
            ? value
            : throw new RulePackException(source, ruleId, field, $"\"{text}\" is not one of {string.Join(", ", Enum.GetNames<T>())}.");
    }

    private static string[]? OptionalStringArray(JsonElement element, string field, string source, string? ruleId, string? prefix = null)
    {
        if (!element.TryGetProperty(field, out JsonElement value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new RulePackException(source, ruleId, prefix + field, "the field must be an array of strings.");
        }

        var items = new List<string>();
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new RulePackException(source, ruleId, prefix + field, "the field must be an array of strings.");
            }

            items.Add(item.GetString()!);
        }

        return [.. items];
    }
}
