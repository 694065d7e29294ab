using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace SafetyLayers.Tests.Audit;

/// <summary>The file sink's hand-written event writer must produce exactly the bytes of the source-generated context.</summary>
public class AuditEventJsonTests
{
    private const string Awkward = "a\"b\\c</script>&'+ é\u2028😀\n\t\u0001";

    public static TheoryData<string> Variants => ["every property", "every property, awkward strings", "nothing set", "spans without rule ids"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Write_EventWithEveryPublicPropertySet_MatchesTheSourceGeneratedContext(string variant)
    {
        // Arrange: every init property set by reflection, so a property added to AuditEvent but not to the writer fails here
        var auditEvent = new AuditEvent();
        if (variant != "nothing set")
        {
            foreach (PropertyInfo property in typeof(AuditEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                property.SetValue(auditEvent, SampleValue(property, awkward: variant.Contains("awkward", StringComparison.Ordinal),
                    spanRuleIds: variant != "spans without rule ids"));
            }
        }

        // Act
        string written = Write(auditEvent);

        // Assert
        written.Should().Be(JsonSerializer.Serialize(auditEvent, AuditJsonContext.Default.AuditEvent));
    }

    [Fact]
    public void Write_EveryKindAndAction_MatchesTheSourceGeneratedContext()
    {
        foreach (AuditEventKind kind in Enum.GetValues<AuditEventKind>().Append((AuditEventKind)42))
        {
            foreach (GuardrailAction? action in Enum.GetValues<GuardrailAction>().Select(a => (GuardrailAction?)a).Append(null).Append((GuardrailAction)17))
            {
                // Arrange
                var auditEvent = new AuditEvent { Kind = kind, Action = action, LatencyMilliseconds = 1e-7, Streaming = false };

                // Act
                string written = Write(auditEvent);

                // Assert
                written.Should().Be(JsonSerializer.Serialize(auditEvent, AuditJsonContext.Default.AuditEvent), because: $"{kind} {action}");
            }
        }
    }

    private static string Write(AuditEvent auditEvent)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            AuditEventJson.Write(writer, auditEvent);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static object SampleValue(PropertyInfo property, bool awkward, bool spanRuleIds)
    {
        string text = awkward ? Awkward + property.Name : property.Name + "-value";
        Type type = property.PropertyType;
        return type switch
        {
            _ when type == typeof(string) => text,
            _ when type == typeof(int) => 3,
            _ when type == typeof(AuditEventKind) => AuditEventKind.ToolDecision,
            _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2026, 11, 28, 21, 5, 7, 123, TimeSpan.FromMinutes(330)).AddTicks(4567),
            _ when type == typeof(GuardrailAction?) => GuardrailAction.RequireApproval,
            _ when type == typeof(IReadOnlyList<string>) => new[] { "SL-PII-0003", text },
            _ when type == typeof(IReadOnlyList<AuditSpan>) => new[] { new AuditSpan(0, 4, spanRuleIds ? text : null), new AuditSpan(12, 16) },
            _ when type == typeof(double?) => 123_456.789_012_5,
            _ when type == typeof(bool?) => true,
            _ when type == typeof(DriftAlert) => new DriftAlert
            {
                Signal = "tool_share:" + text,
                DetectedAt = new DateTimeOffset(2026, 11, 28, 21, 0, 0, TimeSpan.Zero),
                BaselineRate = 0.02,
                CurrentRate = 0.1,
                BaselineTrials = 300,
                CurrentTrials = 500,
                CurrentHits = 50,
                PValue = 1.5e-9,
            },
            _ => throw new InvalidOperationException($"AuditEvent.{property.Name} has a type ({type}) this test does not know: add it here and to AuditEventJson."),
        };
    }
}
