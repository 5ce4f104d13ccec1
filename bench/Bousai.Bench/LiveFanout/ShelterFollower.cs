using System.Text.Json;

namespace Bousai.Bench.LiveFanout;

/// <summary>A resident in the fan-out benchmark: notes when the watched shelter change of the current round reaches it.</summary>
public sealed class ShelterFollower(WatchedChange watched) : PublicHubClient
{
    private int _matchedRound;

    /// <summary>Stopwatch timestamp at which the watched change of the current round arrived; 0 while it has not.
    /// A field, so the benchmark can reset it and read it with <see cref="Volatile"/>.</summary>
    public long ReceivedAt;

    protected override void OnEvent(JsonElement change, long arrived)
    {
        if (change.GetProperty("kind").GetString() == "shelter_status_changed"
            && watched.Matches(change.GetProperty("shelter"), out var round)
            && round != _matchedRound)
        {
            _matchedRound = round;
            Volatile.Write(ref ReceivedAt, arrived);
            watched.Arrived();
        }
    }
}

/// <summary>The one shelter change a round waits for: a shelter id and a head count no other round uses.</summary>
public sealed class WatchedChange(string shelterId)
{
    private int _occupancy = -1;
    private int _round;
    private int _arrivals;
    private int _expected;
    private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string ShelterId { get; } = shelterId;

    public int Arrivals => Volatile.Read(ref _arrivals);

    /// <summary>Starts a round: from now on a change of the shelter to <paramref name="occupancy"/> counts, and <see cref="All"/> completes after <paramref name="expected"/> arrivals.</summary>
    public Task Arm(int occupancy, int expected)
    {
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _expected = expected;
        Volatile.Write(ref _arrivals, 0);
        Interlocked.Increment(ref _round);
        Volatile.Write(ref _occupancy, occupancy);
        return _all.Task;
    }

    internal bool Matches(JsonElement shelter, out int round)
    {
        round = Volatile.Read(ref _round);
        return shelter.GetProperty("shelterId").GetString() == ShelterId
               && shelter.GetProperty("occupancy").GetInt32() == Volatile.Read(ref _occupancy);
    }

    internal void Arrived()
    {
        if (Interlocked.Increment(ref _arrivals) == _expected) _all.TrySetResult();
    }
}
