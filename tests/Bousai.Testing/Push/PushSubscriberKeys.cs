using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Bousai.Testing.Push;

/// <summary>
/// What a browser's PushManager makes for a subscription: a P-256 key pair and a 16-byte auth secret. The public half
/// goes to the application server (p256dh, auth); the private half stays on the "phone", which alone can read the
/// messages (RFC 8291).
/// </summary>
public sealed class PushSubscriberKeys
{
    private readonly ECParameters _private;

    private PushSubscriberKeys(ECParameters privateParameters, byte[] authSecret)
    {
        _private = privateParameters;
        AuthSecret = authSecret;
        PublicKey = [0x04, .. privateParameters.Q.X!, .. privateParameters.Q.Y!];
    }

    public static PushSubscriberKeys Create()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return new PushSubscriberKeys(key.ExportParameters(includePrivateParameters: true), RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>The uncompressed public point (65 bytes).</summary>
    public byte[] PublicKey { get; }

    public byte[] AuthSecret { get; }

    /// <summary>The subscription's keys as a browser's PushSubscription.toJSON() gives them.</summary>
    public string P256dh => WebEncoders.Base64UrlEncode(PublicKey);

    public string Auth => WebEncoders.Base64UrlEncode(AuthSecret);

    /// <summary>
    /// Decrypts an "aes128gcm" push message body (RFC 8188 framing, RFC 8291 keys) as the browser does; throws
    /// <see cref="CryptographicException"/> when it was not encrypted for these keys.
    /// </summary>
    public byte[] Decrypt(ReadOnlySpan<byte> body)
    {
        // Header: salt (16) | record size (4) | key id length (1) | key id (the sender's ephemeral public key).
        if (body.Length < 21) throw new CryptographicException("The body is shorter than the aes128gcm header.");
        var salt = body[..16].ToArray();
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body[16..20]);
        int idLength = body[20];
        if (idLength != 65 || body.Length < 21 + idLength) throw new CryptographicException($"The key id is {idLength} bytes, not a P-256 public key.");
        var senderPublic = body.Slice(21, idLength).ToArray();
        var records = body[(21 + idLength)..];
        if (records.Length > recordSize) throw new CryptographicException("A push message is one record (RFC 8291 §4); this body holds more.");
        if (records.Length < 17) throw new CryptographicException("The record is shorter than its tag.");

        using var own = ECDiffieHellman.Create(_private);
        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..] },
        });
        var sharedSecret = own.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. PublicKey, .. senderPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, 32, AuthSecret, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var contentKey = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));

        var ciphertext = records[..^16];
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(contentKey, 16)) aes.Decrypt(nonce, ciphertext, records[^16..], plaintext);

        // The last record ends with the delimiter 0x02 and any zero padding after it.
        var end = plaintext.Length - 1;
        while (end >= 0 && plaintext[end] == 0) end--;
        if (end < 0 || plaintext[end] != 0x02) throw new CryptographicException("The record has no last-record delimiter.");
        return plaintext[..end];
    }
}
