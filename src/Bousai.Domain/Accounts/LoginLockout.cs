namespace Bousai.Domain.Accounts;

/// <summary>After <see cref="MaxFailedAttempts"/> wrong passwords in a row, an account is locked for <see cref="LockoutDuration"/>.</summary>
public sealed record LoginLockout(int MaxFailedAttempts, TimeSpan LockoutDuration)
{
    public static readonly LoginLockout Default = new(5, TimeSpan.FromMinutes(15));

    public static bool IsLockedOut(DateTimeOffset? lockedUntil, DateTimeOffset now) => lockedUntil is { } until && until > now;

    /// <summary>The account's state after one more wrong password.</summary>
    public FailedLogin AfterFailure(int failedCountBefore, DateTimeOffset now)
    {
        var failed = failedCountBefore + 1;
        return failed >= MaxFailedAttempts
            ? new FailedLogin(0, now + LockoutDuration)
            : new FailedLogin(failed, null);
    }
}

/// <summary>Failed-attempt counter and lock end after a failure; the counter restarts once a lock is set.</summary>
public sealed record FailedLogin(int FailedCount, DateTimeOffset? LockedUntil);
