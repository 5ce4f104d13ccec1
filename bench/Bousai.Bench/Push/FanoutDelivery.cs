using Bousai.Testing.Push;

namespace Bousai.Bench.Push;

/// <summary>
/// What the push service took for one notice, counted per subscriber: exactly once each is the target (none missing,
/// none twice, nobody else), with when the first, the middle, the 99th percentile and the last message arrived, and
/// the decrypted samples compared with the notice the subscriber's language should show.
/// </summary>
public sealed record FanoutDelivery(
    int Subscriptions,
    int Messages,
    int ExactlyOnce,
    int Missing,
    int MoreThanOnce,
    int Strangers,
    DateTimeOffset? First,
    DateTimeOffset? Half,
    DateTimeOffset? P99,
    DateTimeOffset? Last,
    int SampledJa,
    int SampledEn,
    int SamplesWithoutVapid,
    IReadOnlyList<string> SampleDifferences,
    IReadOnlyList<double> RatesByTenth)
{
    public int Sampled => SampledJa + SampledEn;

    public bool Exact => ExactlyOnce == Subscriptions && Missing == 0 && MoreThanOnce == 0 && Strangers == 0;

    /// <summary>Every sample decrypted to the expected notice, with a verified VAPID signature, in both languages (when the run has both).</summary>
    public bool SamplesRight => Sampled > 0 && SampleDifferences.Count == 0 && SamplesWithoutVapid == 0
                                && (Subscriptions < 2 || SampledJa > 0 && SampledEn > 0);

    /// <param name="messages">The messages of this notice only (the bench splits them by the time its PUT was sent).</param>
    /// <param name="expected">The payload fields for "ja" and for "en".</param>
    public static FanoutDelivery Of(IReadOnlyList<ReceivedPush> messages, int subscriptions,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, object>> expected, long noticeId)
    {
        var perSubscriber = new int[subscriptions];
        var strangers = 0;
        int sampledJa = 0, sampledEn = 0, withoutVapid = 0;
        var differences = new List<string>();
        foreach (var message in messages)
        {
            if (message.Subscriber is not ['s', ..] || !int.TryParse(message.Subscriber.AsSpan(1), out var number) || number < 0 || number >= subscriptions)
            {
                strangers++;
                continue;
            }

            perSubscriber[number]++;
            if (message.Text is null) continue;
            var language = PushDatabase.LanguageOf(number);
            if (language == "ja") sampledJa++;
            else sampledEn++;
            if (message.Vapid is null) withoutVapid++;
            differences.AddRange(ExpectedNotice.Differences(message.Text, expected[language], noticeId).Select(d => $"{message.Subscriber} ({language}): {d}"));
            if (message.Urgency != "high") differences.Add($"{message.Subscriber}: Urgency {message.Urgency ?? "absent"}, expected high");
            if (message.Topic is not { Length: > 0 and <= 32 }) differences.Add($"{message.Subscriber}: Topic header {message.Topic ?? "absent"}");
        }

        var arrivals = messages.Select(m => m.At).Order().ToArray();
        DateTimeOffset? At(double p) => arrivals.Length == 0 ? null : arrivals[Math.Max(0, (int)Math.Ceiling(p * arrivals.Length) - 1)];
        // Messages per second within each tenth of the messages: a sender that slows down as its table fills shows here.
        var tenths = arrivals.Length < 20
            ? []
            : Enumerable.Range(0, 10).Select(k => (From: k * arrivals.Length / 10, To: (k + 1) * arrivals.Length / 10 - 1))
                .Select(t => (t.To - t.From) / Math.Max(1e-6, (arrivals[t.To] - arrivals[t.From]).TotalSeconds)).ToArray();
        return new FanoutDelivery(subscriptions, messages.Count, perSubscriber.Count(c => c == 1), perSubscriber.Count(c => c == 0),
            perSubscriber.Count(c => c > 1), strangers, At(0), At(0.5), At(0.99), At(1), sampledJa, sampledEn, withoutVapid,
            differences.Distinct().Take(20).ToArray(), tenths);
    }
}
