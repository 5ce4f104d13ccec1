using System.Xml;
using System.Xml.Schema;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Cap;

/// <summary>The OASIS CAP 1.2 schema (CAP-v1.2.xsd, copied beside these tests): the errors a document has against it.</summary>
public static class CapSchema
{
    private static readonly XmlSchemaSet Schemas = Load();

    private static XmlSchemaSet Load()
    {
        var schemas = new XmlSchemaSet();
        using var reader = XmlReader.Create(Path.Combine(Repository.Root, "tests", "Bousai.Server.Tests", "Cap", "CAP-v1.2.xsd"));
        schemas.Add("urn:oasis:names:tc:emergency:cap:1.2", reader);
        schemas.Compile();
        return schemas;
    }

    public static IReadOnlyList<string> Errors(string xml)
    {
        var errors = new List<string>();
        // Warnings too: an element the schema does not know (another namespace) is only a warning, and must fail.
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schemas };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read()) { }
        return errors;
    }

    public static void AssertValid(string xml, string? what = null)
    {
        var errors = Errors(xml);
        Assert.True(errors.Count == 0, $"Not valid CAP 1.2 ({what}):\n" + string.Join("\n", errors) + "\n" + xml);
    }
}
