using System.CommandLine;
using SafetyLayers;

namespace SafetyLayers.Cli.Commands;

/// <summary>The <c>verify-audit FILE...</c> command: checks the hash chain, sequence and checkpoints of a JSON Lines audit log.</summary>
internal static class VerifyAuditCommand
{
    /// <summary>Creates the command. Exit codes: 0 when the log is intact (a torn final line is a warning), 1 otherwise.</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "The log file and its rotated segments (any order).",
            Arity = ArgumentArity.OneOrMore,
        };
        var requireCheckpoint = new Option<bool>("--require-checkpoint")
        {
            Description = "Fail when the log does not end with a checkpoint line (detects truncation; a crashed writer leaves none).",
        };
        var key = new Option<string?>("--hmac-key")
        {
            Description = "The HMAC-SHA256 key of a keyed log, in base64.",
        };
        var keyFile = new Option<string?>("--hmac-key-file")
        {
            Description = "A file holding the raw HMAC-SHA256 key of a keyed log.",
        };
        var command = new Command("verify-audit", "Verify a SafetyLayers audit log: report the first changed, missing, inserted, reordered or truncated line.")
        {
            files,
            requireCheckpoint,
            key,
            keyFile,
        };
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            string[] paths = parse.GetValue(files) ?? [];
            foreach (string path in paths)
            {
                if (!File.Exists(path))
                {
                    error.WriteLine($"error: {path}: file not found");
                    return 1;
                }
            }

            var options = new AuditVerificationOptions { RequireCheckpoint = parse.GetValue(requireCheckpoint) };
            try
            {
                if (parse.GetValue(key) is { } base64)
                {
                    options.HmacKey = Convert.FromBase64String(base64);
                }
                else if (parse.GetValue(keyFile) is { } keyPath)
                {
                    options.HmacKey = File.ReadAllBytes(keyPath);
                }

                AuditVerificationResult result = AuditLogVerifier.Verify(paths, options);
                foreach (string warning in result.Warnings)
                {
                    error.WriteLine($"warning: {warning}");
                }

                if (!result.IsIntact)
                {
                    error.WriteLine($"error: {result.Error}");
                    output.WriteLine($"FAILED: {result.FailedFile}: line {result.FailedLine}");
                    return 1;
                }

                output.WriteLine($"OK: {paths.Length} file(s), {result.LineCount} lines, {result.EventCount} events, {result.CheckpointCount} checkpoints; chain intact"
                    + (result.HasTornTail ? " (torn final line ignored)" : string.Empty));
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                error.WriteLine($"error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
