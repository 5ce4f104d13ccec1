namespace Bousai.SensorsSim.Tests;

public static class Paths
{
    public static string Root { get; } = FindRoot();

    public static string Geodata(string file) => Path.Combine(Root, "geodata", file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bousai.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (Bousai.sln) above " + AppContext.BaseDirectory);
    }
}
