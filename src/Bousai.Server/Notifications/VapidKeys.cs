using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace Bousai.Server.Notifications;

/// <summary>The server's VAPID key pair (P-256), base64url: the public key as the 65-byte uncompressed point, the private as its 32-byte scalar.</summary>
public sealed record VapidKeyPair(string PublicKey, string PrivateKey)
{
    public static VapidKeyPair Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        return new VapidKeyPair(WebEncoders.Base64UrlEncode([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), WebEncoders.Base64UrlEncode(parameters.D!));
    }
}

/// <summary>
/// The key pair every instance signs with, made once by whichever instance first needs it and kept in the database
/// (a browser's subscription is bound to the key it was made with: a new key would silence every resident).
/// </summary>
public sealed class VapidKeys(NpgsqlDataSource db)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VapidKeyPair? _keys;

    public async Task<VapidKeyPair> GetAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _keys) is { } known) return known;
        await _gate.WaitAsync(ct);
        try
        {
            if (_keys is not null) return _keys;
            var made = VapidKeyPair.Generate();
            await using var command = db.CreateCommand(
                """
                WITH made AS (
                    INSERT INTO push_vapid_keys (public_key, private_key) VALUES ($1, $2) ON CONFLICT (singleton) DO NOTHING
                    RETURNING public_key, private_key
                )
                SELECT public_key, private_key FROM made UNION ALL SELECT public_key, private_key FROM push_vapid_keys
                LIMIT 1
                """);
            command.Parameters.AddWithValue(made.PublicKey);
            command.Parameters.AddWithValue(made.PrivateKey);
            // Two instances making it at once: the one whose insert waited reads nothing in its statement's snapshot
            // and finds the other's pair in the next.
            for (var attempt = 0; ; attempt++)
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                if (await reader.ReadAsync(ct))
                {
                    _keys = new VapidKeyPair(reader.GetString(0), reader.GetString(1));
                    return _keys;
                }

                if (attempt == 2) throw new InvalidOperationException("push_vapid_keys has no key pair and none could be stored.");
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
