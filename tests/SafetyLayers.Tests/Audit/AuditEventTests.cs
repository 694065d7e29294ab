using System.Text.Json;

namespace SafetyLayers.Tests.Audit;

public class AuditEventTests
{
    [Fact]
    public void Serialize_Event_UsesVersionedCamelCaseSchemaWithoutNulls()
    {
        AuditEvent e = AuditTestFiles.Event(1);

        string json = JsonSerializer.Serialize(e, AuditJsonContext.Default.AuditEvent);

        json.Should().StartWith("{\"v\":1,\"kind\":\"input_verdict\",\"time\":");
        json.Should().Contain("\"action\":\"Flag\"").And.Contain("\"ruleIds\":[\"SL-PI-0012\"]")
            .And.Contain("\"spans\":[{\"start\":3,\"length\":7,\"ruleId\":\"SL-PI-0012\"}]");
        json.Should().NotContain("null").And.NotContain("content");
    }

    [Fact]
    public void Deserialize_SerializedEvent_RoundTrips()
    {
        AuditEvent e = AuditTestFiles.Event(2);

        AuditEvent back = JsonSerializer.Deserialize(JsonSerializer.Serialize(e, AuditJsonContext.Default.AuditEvent), AuditJsonContext.Default.AuditEvent)!;

        back.Should().BeEquivalentTo(e);
    }

    [Fact]
    public void RuleIds_ListMutatedAfterConstruction_EventKeepsSnapshot()
    {
        List<string> ids = ["A"];
        var e = new AuditEvent { RuleIds = ids };

        ids.Add("B");

        e.RuleIds.Should().Equal("A");
    }
}
