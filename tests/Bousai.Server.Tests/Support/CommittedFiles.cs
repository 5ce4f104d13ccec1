using System.Text.Json.Nodes;

namespace Bousai.Server.Tests.Support;

/// <summary>
/// Files in the repository that the server generates for the web client (fixtures, the OpenAPI document): a test
/// writes what the server produces today, and fails when that differs from what is committed, so CI catches drift.
/// </summary>
public static class CommittedFiles
{
    /// <summary>
    /// Compares <paramref name="generatedJson"/> with the committed file (as JSON: formatting does not matter). When
    /// they differ, or the file is missing, writes the generated JSON and fails saying to commit it.
    /// </summary>
    public static void AssertJsonCommitted(string relativePath, string generatedJson)
    {
        var path = Path.Combine(Repository.Root, relativePath);
        var generated = JsonNode.Parse(generatedJson);
        var committed = File.Exists(path) ? File.ReadAllText(path) : null;
        if (committed is not null && JsonNode.DeepEquals(JsonNode.Parse(committed), generated)) return;

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, generatedJson.TrimEnd() + "\n");
        Assert.Fail(committed is null
            ? $"{relativePath} did not exist; it is now written from the server's types: commit it."
            : $"{relativePath} differed from what the server produces; it is now rewritten: review the change and commit it.");
    }
}
