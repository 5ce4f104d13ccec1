using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Bousai.Server.Accounts;

/// <summary>
/// The staff hub connections open on this instance, by session. A hub connection is authenticated once, when it opens,
/// so this is how it ends with its session: at once on this instance at logout, and within
/// <see cref="AccountOptions.SessionRecheckInterval"/> on every instance (logout elsewhere, account disabled, role changed).
/// </summary>
public sealed class StaffConnections
{
    private readonly ConcurrentDictionary<string, (Guid Session, HubCallerContext Connection)> _open = new();

    public int Count => _open.Count;

    public void Opened(HubCallerContext connection, Guid session) => _open[connection.ConnectionId] = (session, connection);

    public void Closed(HubCallerContext connection) => _open.TryRemove(connection.ConnectionId, out _);

    public IReadOnlyCollection<Guid> Sessions() => _open.Values.Select(c => c.Session).Distinct().ToList();

    /// <summary>Aborts every connection of the sessions <paramref name="ended"/> says have ended; returns how many.</summary>
    public int Abort(Func<Guid, bool> ended)
    {
        var aborted = 0;
        foreach (var (_, (session, connection)) in _open)
        {
            if (!ended(session)) continue;
            connection.Abort();
            aborted++;
        }

        return aborted;
    }
}

/// <summary>Re-checks the sessions of this instance's staff hub connections and closes those whose session has ended.</summary>
public sealed partial class StaffConnectionWatch(StaffConnections connections, StaffSessions sessions, IOptions<AccountOptions> options,
    TimeProvider clock, ILogger<StaffConnectionWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SessionRecheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (connections.Count == 0) continue;
            try
            {
                var valid = await sessions.StillValidAsync(connections.Sessions(), stoppingToken);
                var aborted = connections.Abort(session => !valid.Contains(session));
                if (aborted > 0) LogClosed(aborted);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // A database outage must not close every staff connection; the next tick checks again.
                LogCheckFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} staff hub connections whose session has ended")]
    private partial void LogClosed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-check the sessions of the staff hub connections")]
    private partial void LogCheckFailed(Exception exception);
}
