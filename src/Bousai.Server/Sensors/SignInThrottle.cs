using System.Net;
using System.Net.Sockets;

namespace Bousai.Server.Sensors;

/// <summary>
/// Slows down password guessing on the embedded broker: each failed sign-in from an address waits longer before its
/// refusal is sent (FirstDelay, doubling, at most MaxDelay), until the address has gone ForgetAfter without failing.
/// A successful sign-in does not reset the count, so a gauge's valid credential cannot be used to guess another's.
/// IPv6 addresses count per /64, what one host usually holds.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(8);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(15);

    /// <summary>Addresses remembered at most; past it (a flood from many addresses) unknown addresses wait MaxDelay.</summary>
    public const int MaxAddresses = 10_000;

    private readonly Dictionary<string, (int Failures, DateTimeOffset Last)> _failures = [];

    /// <summary>The wait before answering the given number of consecutive failures.</summary>
    public static TimeSpan DelayAfter(int failures) => failures <= 0
        ? TimeSpan.Zero
        : TimeSpan.FromTicks(Math.Min(FirstDelay.Ticks << Math.Min(failures - 1, 20), MaxDelay.Ticks));

    /// <summary>Records a failed sign-in from <paramref name="address"/> and returns how long to wait before refusing it.</summary>
    public TimeSpan Fail(IPAddress? address)
    {
        var key = Key(address);
        var now = time.GetUtcNow();
        lock (_failures)
        {
            var failures = _failures.TryGetValue(key, out var entry) && now - entry.Last < ForgetAfter ? entry.Failures + 1 : 1;
            if (failures == 1 && !_failures.ContainsKey(key) && _failures.Count >= MaxAddresses)
            {
                foreach (var stale in _failures.Where(f => now - f.Value.Last >= ForgetAfter).Select(f => f.Key).ToList()) _failures.Remove(stale);
                if (_failures.Count >= MaxAddresses) return MaxDelay;
            }

            _failures[key] = (failures, now);
            return DelayAfter(failures);
        }
    }

    private static string Key(IPAddress? address)
    {
        if (address is null) return "";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
