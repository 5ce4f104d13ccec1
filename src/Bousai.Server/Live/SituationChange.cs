using Bousai.Server.Audit;
using Npgsql;

namespace Bousai.Server.Live;

/// <summary>
/// One change of the situation made by a person: the state write, its situation event and its audit record, in one
/// transaction. The feature's store writes the state through <see cref="Connection"/> and <see cref="Transaction"/>;
/// <see cref="CommitAsync"/> refuses to commit unless exactly one event and one audit record were added, so no
/// change can reach the database that the live clients or the audit trail do not see. Disposing without committing
/// rolls everything back (a refusal found after the first read writes nothing).
/// </summary>
public sealed class SituationChange : IAsyncDisposable
{
    private readonly List<SituationEvent> _events = [];
    private readonly List<SituationEvent> _consequences = [];
    private readonly List<AuditEntry> _audits = [];
    private bool _committed;

    private SituationChange(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    public static async Task<SituationChange> BeginAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            return new SituationChange(connection, await connection.BeginTransactionAsync(ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The event that tells live clients about this change; appended when the change commits.</summary>
    public void Record(SituationEvent change) => _events.Add(change);

    /// <summary>
    /// An event that follows from this change's own event in the same commit (issuing a level from a recommendation
    /// answers the recommendation); appended right after it. It does not replace the change's one event.
    /// </summary>
    public void RecordConsequence(SituationEvent consequence) => _consequences.Add(consequence);

    /// <summary>Who did it, for the audit trail; written when the change commits.</summary>
    public void Audit(AuditEntry entry) => _audits.Add(entry);

    /// <summary>
    /// Writes the audit record, appends the event (last, so the log counter's row lock is held only for the commit)
    /// and commits. Returns the event, numbered.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not exactly one event and one audit record: nothing is committed.</exception>
    public async Task<SituationEvent> CommitAsync(CancellationToken ct)
    {
        if (_committed) throw new InvalidOperationException("This situation change is already committed.");
        if (_events.Count != 1 || _audits.Count != 1)
        {
            throw new InvalidOperationException(
                $"A situation change commits with exactly one situation event and one audit record; this one has {_events.Count} event(s) and {_audits.Count} audit record(s).");
        }

        await AuditLog.RecordAsync(Connection, Transaction, _audits[0], ct);
        var last = await SituationEventLog.AppendManyAsync(Connection, Transaction, [_events[0], .. _consequences], ct);
        await Transaction.CommitAsync(ct);
        _committed = true;
        return _events[0] with { Seq = last - _consequences.Count };
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
