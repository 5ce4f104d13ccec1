namespace Bousai.Server.Tests.Support;

public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Geodata(string file) => Path.Combine(Root, "geodata", file);

    /// <summary>The public view's strings as the web build wrote them (wwwroot/public-messages.json), as the server reads them.</summary>
    public static Bousai.Server.PublicView.PublicText PublicText() =>
        Bousai.Server.PublicView.PublicText.Parse(File.ReadAllText(Path.Combine(Root, "src", "Bousai.Server", "wwwroot", "public-messages.json")));

    /// <summary>Where tests leave artefacts worth looking at (screenshots); ./bousai test points it at TestResults/.</summary>
    public static string Output { get; } = Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("BOUSAI_TEST_OUTPUT") ?? Path.Combine(Root, "TestResults")).FullName;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bousai.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (Bousai.sln) above " + AppContext.BaseDirectory);
    }
}
