namespace Bousai.Domain.EvacuationLevels;

/// <summary>
/// 警戒レベル a town issues for a district (2021 revision): 3 高齢者等避難, 4 避難指示, 5 緊急安全確保, or 0 when lifted (解除).
/// Levels 1 and 2 are JMA's and are never issued by the town.
/// </summary>
public static class EvacuationLevel
{
    public const int Lifted = 0;

    public static readonly IReadOnlyList<int> IssuableByTown = [Lifted, 3, 4, 5];

    public static bool CanBeIssuedByTown(int level) => IssuableByTown.Contains(level);
}
