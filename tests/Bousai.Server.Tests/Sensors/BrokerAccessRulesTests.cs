using System.Net;
using Bousai.Server.Sensors;
using MQTTnet.Protocol;

namespace Bousai.Server.Tests.Sensors;

/// <summary>The embedded broker's access rules as a table: who signs in as what, and who may publish where.</summary>
public sealed class BrokerAccessRulesTests
{
    private static MqttOptions Options(bool anonymous = false, string? ingestUser = "bousai-ingest") => new()
    {
        Username = ingestUser,
        Password = ingestUser is null ? null : "ingest-pw",
        ClientId = "bousai-ingest-host",
        AllowAnonymous = anonymous,
        Gauges = new GaugeCredential { Username = "sensors", Password = "sensors-pw" },
        StationCredentials = [new StationCredential { StationId = "station-nakahashi", Username = "gauge-nakahashi", Password = "naka-pw" }],
    };

    public static TheoryData<string, string?, string?, string, MqttConnectReasonCode, BrokerRole?, string?, bool> SignIns => new()
    {
        { "ingestion with its client id", "bousai-ingest", "ingest-pw", "bousai-ingest-host", MqttConnectReasonCode.Success, BrokerRole.Ingestion, null, false },
        { "ingestion with another client id", "bousai-ingest", "ingest-pw", "elsewhere", MqttConnectReasonCode.ClientIdentifierNotValid, null, null, false },
        { "ingestion, wrong password", "bousai-ingest", "sensors-pw", "bousai-ingest-host", MqttConnectReasonCode.BadUserNameOrPassword, null, null, true },
        { "shared gauge", "sensors", "sensors-pw", "gauge-1", MqttConnectReasonCode.Success, BrokerRole.Gauge, null, false },
        { "shared gauge, empty client id", "sensors", "sensors-pw", "", MqttConnectReasonCode.Success, BrokerRole.Gauge, null, false },
        { "shared gauge taking the ingester's id", "sensors", "sensors-pw", "bousai-ingest-host", MqttConnectReasonCode.NotAuthorized, null, null, false },
        { "station gauge", "gauge-nakahashi", "naka-pw", "logger-7", MqttConnectReasonCode.Success, BrokerRole.Gauge, "station-nakahashi", false },
        { "station gauge, another's password", "gauge-nakahashi", "sensors-pw", "logger-7", MqttConnectReasonCode.BadUserNameOrPassword, null, null, true },
        { "unknown user", "mallory", "naka-pw", "m", MqttConnectReasonCode.BadUserNameOrPassword, null, null, true },
        { "password with a different length", "sensors", "sensors-pw-and-more", "g", MqttConnectReasonCode.BadUserNameOrPassword, null, null, true },
        { "anonymous", null, null, "anon", MqttConnectReasonCode.NotAuthorized, null, null, true },
        { "no password", "sensors", null, "g", MqttConnectReasonCode.BadUserNameOrPassword, null, null, true },
    };

    [Theory]
    [MemberData(nameof(SignIns))]
    public void Sign_in(string what, string? user, string? password, string clientId, MqttConnectReasonCode code, BrokerRole? role, string? station, bool failure)
    {
        var verdict = BrokerAccess.SignIn(Options(), user, password, clientId);

        Assert.True(code == verdict.Code, what);
        Assert.Equal(role, verdict.Grant?.Role);
        Assert.Equal(station, verdict.Grant?.StationId);
        Assert.Equal(failure, verdict.CountsAsFailure);
    }

    [Fact]
    public void Anonymous_clients_are_gauges_when_allowed_and_without_an_ingestion_credential_the_ingester_is_its_client_id()
    {
        Assert.Equal(BrokerGrant.AnyGauge, BrokerAccess.SignIn(Options(anonymous: true), null, null, "anon").Grant);
        Assert.Equal(MqttConnectReasonCode.NotAuthorized, BrokerAccess.SignIn(Options(anonymous: true), null, null, "bousai-ingest-host").Code);
        Assert.Equal(BrokerGrant.Ingestion, BrokerAccess.SignIn(Options(anonymous: true, ingestUser: null), null, null, "bousai-ingest-host").Grant);
    }

    private static readonly BrokerGrant Nakahashi = BrokerGrant.Station("station-nakahashi");

    public static TheoryData<string, bool, PublishVerdict, PublishVerdict> Publishes => new()
    {
        // topic, retain, verdict for the shared gauge, verdict for station-nakahashi's own credential
        { "bousai/v1/stations/station-nakahashi/water_level", false, PublishVerdict.Allowed, PublishVerdict.Allowed },
        { "bousai/v1/stations/station-nakahashi/rainfall", false, PublishVerdict.Allowed, PublishVerdict.Allowed },
        { "bousai/v1/stations/station-nukanome/water_level", false, PublishVerdict.Allowed, PublishVerdict.NotAuthorized },
        { "bousai/v1/stations/station-nakahashi/water_level", true, PublishVerdict.RetainRefused, PublishVerdict.RetainRefused },
        { "bousai/v1/stations/station-nakahashi/temperature", false, PublishVerdict.NotAuthorized, PublishVerdict.NotAuthorized },
        { "bousai/v1/stations/station-nakahashi/water_level/x", false, PublishVerdict.NotAuthorized, PublishVerdict.NotAuthorized },
        { "bousai/v1/stations/station-nakahashi/water_level\n", false, PublishVerdict.NotAuthorized, PublishVerdict.NotAuthorized },
        { "bousai/v1/stations/-leading-dash/water_level", false, PublishVerdict.NotAuthorized, PublishVerdict.NotAuthorized },
        { "bousai/v1/stations/" + new string('a', 100) + "/water_level", false, PublishVerdict.Allowed, PublishVerdict.NotAuthorized },
        { "bousai/v1/stations/" + new string('a', 101) + "/water_level", false, PublishVerdict.NotAuthorized, PublishVerdict.NotAuthorized },
        { "bousai/v1/stations/station-nakahashi-2/water_level", false, PublishVerdict.Allowed, PublishVerdict.NotAuthorized },
        { "bousai/v1/other", false, PublishVerdict.NotAuthorized, PublishVerdict.NotAuthorized },
        { "$SYS/broker/uptime", false, PublishVerdict.NotAuthorized, PublishVerdict.NotAuthorized },
        { "", false, PublishVerdict.TopicNameInvalid, PublishVerdict.TopicNameInvalid },
        { "bousai/v1/stations/+/water_level", false, PublishVerdict.TopicNameInvalid, PublishVerdict.TopicNameInvalid },
        { "bousai/v1/stations/#", false, PublishVerdict.TopicNameInvalid, PublishVerdict.TopicNameInvalid },
        { "bousai/v1/stations/sta\0tion/water_level", false, PublishVerdict.TopicNameInvalid, PublishVerdict.TopicNameInvalid },
        { "bousai/v1/stations/" + string.Concat(Enumerable.Repeat("a/", 1_997)) + "water_level", false, PublishVerdict.NotAuthorized, PublishVerdict.NotAuthorized },
        { "bousai/v1/stations/" + new string('a', 65_000) + "/water_level", false, PublishVerdict.NotAuthorized, PublishVerdict.NotAuthorized },
    };

    [Theory]
    [MemberData(nameof(Publishes))]
    public void Publish(string topic, bool retain, PublishVerdict shared, PublishVerdict own)
    {
        Assert.Equal(shared, BrokerAccess.MayPublish(BrokerGrant.AnyGauge, topic, retain));
        Assert.Equal(own, BrokerAccess.MayPublish(Nakahashi, topic, retain));
        Assert.Equal(topic.Length == 0 || topic.IndexOfAny(['+', '#', '\0']) >= 0 ? PublishVerdict.TopicNameInvalid : PublishVerdict.NotAuthorized,
            BrokerAccess.MayPublish(BrokerGrant.Ingestion, topic, retain));
    }

    [Fact]
    public void Only_ingestion_subscribes()
    {
        Assert.True(BrokerAccess.MaySubscribe(BrokerGrant.Ingestion));
        Assert.False(BrokerAccess.MaySubscribe(BrokerGrant.AnyGauge));
        Assert.False(BrokerAccess.MaySubscribe(Nakahashi));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(3, 1_000)]
    [InlineData(5, 4_000)]
    [InlineData(6, 8_000)]
    [InlineData(7, 8_000)]
    [InlineData(1_000, 8_000)]
    public void Sign_in_delay_doubles_up_to_its_bound(int failures, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), SignInThrottle.DelayAfter(failures));

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 8, 3, 19, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Failures_count_per_address_and_are_forgotten_after_a_quiet_spell()
    {
        var clock = new ManualClock();
        var throttle = new SignInThrottle(clock);
        var attacker = IPAddress.Parse("192.0.2.7");

        Assert.Equal(TimeSpan.FromMilliseconds(250), throttle.Fail(attacker));
        Assert.Equal(TimeSpan.FromMilliseconds(500), throttle.Fail(attacker));
        Assert.Equal(TimeSpan.FromMilliseconds(250), throttle.Fail(IPAddress.Parse("192.0.2.8")));
        Assert.Equal(TimeSpan.FromMilliseconds(1_000), throttle.Fail(attacker.MapToIPv6()));
        clock.Now += SignInThrottle.ForgetAfter;
        Assert.Equal(TimeSpan.FromMilliseconds(250), throttle.Fail(attacker));

        // IPv6: one /64 is one host.
        Assert.Equal(TimeSpan.FromMilliseconds(250), throttle.Fail(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.Equal(TimeSpan.FromMilliseconds(500), throttle.Fail(IPAddress.Parse("2001:db8:1:2::ffff")));
        Assert.Equal(TimeSpan.FromMilliseconds(250), throttle.Fail(IPAddress.Parse("2001:db8:1:3::1")));
    }
}
