namespace Bousai.SensorsSim;

/// <summary>Where to publish: mqtt://USER:PASSWORD@HOST:PORT (mqtts:// for TLS), the form ./bousai up prints.</summary>
public sealed record BrokerAddress(string Host, int Port, string? UserName, string? Password, bool UseTls)
{
    public static BrokerAddress Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts") || uri.Host.Length == 0)
        {
            throw new ArgumentException($"'{text}' is not a broker address like mqtt://user:password@127.0.0.1:1883");
        }

        var tls = uri.Scheme == "mqtts";
        var credentials = uri.UserInfo.Split(':', 2);
        return new BrokerAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port,
            credentials[0].Length > 0 ? Uri.UnescapeDataString(credentials[0]) : null,
            credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null,
            tls);
    }

    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{(UserName is null ? "" : UserName + "@")}{Host}:{Port}";
}
