namespace SafetyLayers;

/// <summary>Labels that tell the information-flow rules what a tool does with data.</summary>
/// <remarks>
/// The flow rules guard against the "lethal trifecta" of an agent that reads untrusted content, holds private data and can send
/// data out: once a result of an <see cref="UntrustedSource"/> tool is in the conversation, <see cref="Egress"/> tools need approval,
/// and text copied from a <see cref="PrivateData"/> result may not leave through them.
/// </remarks>
[Flags]
public enum ToolLabels
{
    /// <summary>No label: the tool neither reads untrusted content nor private data, nor sends data out.</summary>
    None = 0,

    /// <summary>The tool returns content an attacker may control (web pages, received email, files from outside, other agents).</summary>
    UntrustedSource = 1,

    /// <summary>The tool returns private data (account details, documents, personal records).</summary>
    PrivateData = 2,

    /// <summary>The tool sends data out of the application (email, HTTP POST, payments, file writes, messages).</summary>
    Egress = 4,
}
