using Bousai.Domain.Alerts;
using Bousai.Server.Audit;
using Bousai.Server.Live;
using Bousai.Server.Sensors;
using Bousai.Server.Store;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bousai.Server.Alerts;

/// <summary>Configuration section "ThresholdAlerts".</summary>
public sealed class ThresholdAlertOptions
{
    /// <summary>How often the situation log is read for new gauge states.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often every gauge is checked for silence (silence sends no message, so a timer looks).</summary>
    public TimeSpan SilenceCheckInterval { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Raises, escalates and clears the system's threshold alerts. It follows the situation log from the stored position
/// (alert_rule_log_position) for station_state_changed, and checks gauge silence on a timer. Each rule family is
/// evaluated in one transaction: its state row locked FOR UPDATE, <see cref="ThresholdRules.Evaluate"/>, then the
/// state with the alert change, its event and its audit record through one <see cref="SituationChange"/>. Every
/// instance runs it: the lock orders them and the pure rules ignore an observation already taken into account, so a
/// restart or a second instance raises one alert per crossing.
/// </summary>
public sealed class ThresholdAlertEvaluator(
    NpgsqlDataSource db,
    IOptions<ThresholdAlertOptions> options,
    TimeProvider time,
    ILogger<ThresholdAlertEvaluator> logger) : BackgroundService
{
    private const int EventsPerRead = 500;
    private const string Actor = "system:threshold-alerts";
    private readonly ThresholdAlertOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        SupervisedLoop.RunAsync("threshold_alerts", FollowLogAsync, logger, time, stoppingToken),
        SupervisedLoop.RunAsync("gauge_silence", CheckSilenceAsync, logger, time, stoppingToken));

    private async Task FollowLogAsync(CancellationToken stoppingToken)
    {
        long cursor = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int read;
                do
                {
                    (read, cursor) = await FollowOnceAsync(cursor, stoppingToken);
                }
                while (read == EventsPerRead);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not evaluate threshold alerts; trying again shortly");
            }

            await Task.Delay(_options.PollInterval, time, stoppingToken);
        }
    }

    /// <summary>Reads the log after the stored position (or this instance's own, if further) and evaluates what it finds; returns how many events it read and the new position.</summary>
    private async Task<(int Read, long Cursor)> FollowOnceAsync(long cursor, CancellationToken ct)
    {
        await using (var position = db.CreateCommand("SELECT last_seq FROM alert_rule_log_position"))
        {
            cursor = Math.Max(cursor, (long)(await position.ExecuteScalarAsync(ct))!);
        }

        var events = await SituationEventLog.ReadAfterAsync(db, cursor, EventsPerRead, ct);
        if (events.Count == 0) return (0, cursor);
        foreach (var state in events.OfType<StationStateChanged>().Select(e => e.State))
        {
            foreach (var (kind, observation) in Observations(state))
            {
                await EvaluateAsync(state.StationId, kind, observation, ct);
            }
        }

        await using (var advance = db.CreateCommand("UPDATE alert_rule_log_position SET last_seq = greatest(last_seq, $1)"))
        {
            advance.Parameters.AddWithValue(events[^1].Seq);
            await advance.ExecuteNonQueryAsync(ct);
        }

        return (events.Count, events[^1].Seq);
    }

    /// <summary>What a gauge's new state says to each of its rule kinds (gauge silence is the timer's).</summary>
    public static IEnumerable<(ThresholdRuleKind Kind, StationObservation Observation)> Observations(StationState state)
    {
        if (state.Quantity == "water_level")
        {
            yield return (ThresholdRuleKind.RiverStage, new RiverLevelObservation(state.ObservedAt, state.Value));
        }
        else if (state.Quantity == "rainfall")
        {
            yield return (ThresholdRuleKind.SixtyMinuteRain, new SixtyMinuteRainObservation(state.ObservedAt, state.Rain?.SixtyMinutes));
            yield return (ThresholdRuleKind.LocalLandslide,
                new LandslideObservation(state.ObservedAt, state.Landslide?.SixtyMinuteMm, state.Landslide?.SoilWaterIndex));
        }
    }

    private async Task CheckSilenceAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (stationId, heard) in await AlertRuleStore.HeardAsync(db, time.GetUtcNow(), stoppingToken))
                {
                    await EvaluateAsync(stationId, ThresholdRuleKind.GaugeSilence, heard, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not check gauge silence; trying again shortly");
            }

            await Task.Delay(_options.SilenceCheckInterval, time, stoppingToken);
        }
    }

    /// <summary>
    /// Evaluates one family with one observation in one transaction. An alert of an ended drill no longer stands for
    /// the family: its state starts again, so a river still high raises a real alert. An alert someone cleared by hand
    /// keeps the family's step (it does not come back at the same step), but an escalation raises a new alert.
    /// Returns what happened to the family's alert (None: only its state moved).
    /// </summary>
    public async Task<ThresholdDecisionKind> EvaluateAsync(string stationId, ThresholdRuleKind kind, StationObservation observation,
        CancellationToken ct)
    {
        await using var change = await SituationChange.BeginAsync(db, ct);
        if (await AlertRuleStore.LockAsync(change, stationId, kind, ct) is not { } family) return ThresholdDecisionKind.None;

        var state = family.AlertId is not null && !family.AlertLive ? ThresholdRuleState.Initial : family.State;
        var (next, decision) = ThresholdRules.Evaluate(family.Rule, state, observation);
        var now = time.GetUtcNow();
        var open = family.AlertLive && !family.AlertCleared ? family.AlertId : null;
        long? owned = next.Raised == ThresholdStep.None ? null : family.AlertLive ? family.AlertId : null;

        SituationEvent? recorded = null;
        switch (decision.Kind)
        {
            case ThresholdDecisionKind.Raise:
            case ThresholdDecisionKind.Escalate when open is null:
                var raised = await AlertStore.InsertSystemAsync(change, stationId, kind, decision, now, ct);
                owned = raised.AlertId;
                recorded = new AlertRaised(raised) { At = now };
                break;
            case ThresholdDecisionKind.Escalate:
                recorded = new AlertEscalated(await AlertStore.EscalateAsync(change, open.Value, decision, now, ct)) { At = now };
                break;
            case ThresholdDecisionKind.Clear when open is not null:
                var cleared = await AlertStore.ClearBySystemAsync(change, open.Value, decision.MessageJa, now, ct);
                recorded = new AlertCleared(cleared.AlertId, "system", cleared.Note, cleared.ClearedAt) { At = now };
                break;
        }

        await AlertRuleStore.WriteStateAsync(change, stationId, kind, next, owned, now, ct);
        if (recorded is null)
        {
            // Only the family's timers moved: no alert changed, so there is nothing for live clients or the audit trail.
            await change.Transaction.CommitAsync(ct);
            return ThresholdDecisionKind.None;
        }

        // What happened to the alert, which differs from the decision when an escalation raised a new alert.
        var (alertId, done) = recorded switch
        {
            AlertRaised r => (r.Alert.AlertId, ThresholdDecisionKind.Raise),
            AlertEscalated e => (e.Alert.AlertId, ThresholdDecisionKind.Escalate),
            _ => (open!.Value, ThresholdDecisionKind.Clear),
        };
        change.Record(recorded);
        change.Audit(new AuditEntry(Actor, "alert." + DbEnum.Name(done), "alert", alertId.ToString(),
            new Dictionary<string, object?>
            {
                ["station"] = stationId, ["rule"] = DbEnum.Name(kind), ["from"] = DbEnum.Name(decision.From), ["to"] = DbEnum.Name(decision.To),
                ["level"] = decision.AlertLevelEquivalent,
            }));
        await change.CommitAsync(ct);
        logger.LogInformation("Threshold alert {AlertId} {Decision} for {StationId} {RuleKind}: {From} to {To}", alertId, done, stationId, kind,
            decision.From, decision.To);
        return done;
    }
}

public static class ThresholdAlertRegistration
{
    /// <summary>The system's threshold alerts: the evaluator on every instance (the rule states' locks keep them to one alert per crossing).</summary>
    public static IServiceCollection AddThresholdAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ThresholdAlertOptions>().Bind(configuration.GetSection("ThresholdAlerts"))
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.SilenceCheckInterval > TimeSpan.Zero,
                "ThresholdAlerts:PollInterval and SilenceCheckInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ThresholdAlertEvaluator>();
        services.AddHostedService(sp => sp.GetRequiredService<ThresholdAlertEvaluator>());
        return services;
    }
}
