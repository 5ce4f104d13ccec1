namespace Bousai.Server.Tests.Support;

public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Geodata(string file) => Path.Combine(Root, "geodata", file);

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
