using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Bousai.Testing.Push;

/// <summary>What a valid VAPID header (RFC 8292) told the push service: who signed it and whom to contact.</summary>
public sealed record VapidClaims(string Audience, DateTimeOffset Expires, string Subject, string PublicKey);

/// <summary>
/// Checks an "Authorization: vapid t=JWT, k=KEY" header as a push service does: an ES256 JWT signed by the key it
/// names, for this push service's origin, not expired and not more than 24 hours ahead, with a contact subject.
/// </summary>
public static class VapidAuthorization
{
    /// <returns>The claims, or the reason the header is refused.</returns>
    public static (VapidClaims? Claims, string? Refusal) Verify(string? header, Uri endpoint, DateTimeOffset now)
    {
        if (header is null || !header.StartsWith("vapid ", StringComparison.OrdinalIgnoreCase)) return (null, "no vapid Authorization header");
        var parameters = header[6..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        if (!parameters.TryGetValue("t", out var token) || !parameters.TryGetValue("k", out var key)) return (null, "the header lacks t= or k=");

        var parts = token.Split('.');
        if (parts.Length != 3) return (null, "t is not a JWT");
        byte[] point, signature;
        JsonElement head, claims;
        try
        {
            point = WebEncoders.Base64UrlDecode(key);
            signature = WebEncoders.Base64UrlDecode(parts[2]);
            head = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[0])).RootElement;
            claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(parts[1])).RootElement;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return (null, "t or k is not base64url JSON: " + e.Message);
        }

        if (point is not { Length: 65 } || point[0] != 4) return (null, "k is not an uncompressed P-256 point");
        if (head.TryGetProperty("alg", out var alg) is false || alg.GetString() != "ES256") return (null, "the JWT is not ES256");
        using (var verifier = ECDsa.Create(new ECParameters
               {
                   Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] },
               }))
        {
            if (!verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256,
                    DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return (null, "the JWT's signature does not verify with k");
            }
        }

        var audience = claims.TryGetProperty("aud", out var aud) ? aud.GetString() : null;
        // The origin of the endpoint; libraries differ on writing a non-default port, so both are the same origin here.
        var origins = new[] { endpoint.GetLeftPart(UriPartial.Authority), $"{endpoint.Scheme}://{endpoint.Host}" };
        if (audience is null || !origins.Contains(audience)) return (null, $"aud {audience} is not this push service ({origins[0]})");
        if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds)) return (null, "no exp claim");
        var expires = DateTimeOffset.FromUnixTimeSeconds(expSeconds);
        if (expires <= now) return (null, "the JWT has expired");
        if (expires > now.AddHours(24).AddMinutes(1)) return (null, "exp is more than 24 hours ahead (RFC 8292 §2)");
        var subject = claims.TryGetProperty("sub", out var sub) ? sub.GetString() : null;
        if (subject is null || !(subject.StartsWith("mailto:", StringComparison.Ordinal) || subject.StartsWith("https:", StringComparison.Ordinal)))
        {
            return (null, "sub is not a mailto: or https: contact");
        }

        return (new VapidClaims(audience, expires, subject, key), null);
    }
}
