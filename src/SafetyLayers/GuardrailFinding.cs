namespace SafetyLayers;

/// <summary>Represents one rule that fired on a message of a request or a response.</summary>
/// <remarks>A finding carries rule ids and spans, never the matched text, so it can be logged and audited safely.</remarks>
/// <param name="RuleId">The id of the rule, such as <c>SL-PII-0001</c>.</param>
/// <param name="Category">The category of the rule, such as <c>pii_email_address</c>.</param>
/// <param name="Action">The action of the rule.</param>
/// <param name="MessageIndex">The index of the message in the request or response.</param>
/// <param name="Index">The index of the first character of the finding in the text of that message's content.</param>
/// <param name="Length">The number of characters of the finding.</param>
public readonly record struct GuardrailFinding(string RuleId, string Category, GuardrailAction Action, int MessageIndex, int Index, int Length);
