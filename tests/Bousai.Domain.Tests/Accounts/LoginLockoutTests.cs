using Bousai.Domain.Accounts;

namespace Bousai.Domain.Tests.Accounts;

public sealed class LoginLockoutTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 3, 19, 15, 0, TimeSpan.FromHours(9));
    private static readonly LoginLockout Policy = new(5, TimeSpan.FromMinutes(15));

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(3, 4, false)]
    [InlineData(4, 0, true)]   // the fifth failure locks and restarts the count
    [InlineData(9, 0, true)]
    public void Failures_count_up_until_the_limit_locks_the_account(int before, int after, bool locks)
    {
        var result = Policy.AfterFailure(before, Now);

        Assert.Equal(after, result.FailedCount);
        Assert.Equal(locks ? Now.AddMinutes(15) : null, result.LockedUntil);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(-1, false)]   // lock ended a minute ago
    [InlineData(0, false)]    // ends exactly now
    [InlineData(1, true)]
    public void An_account_is_locked_only_until_its_lock_ends(int? minutesFromNow, bool locked) =>
        Assert.Equal(locked, LoginLockout.IsLockedOut(minutesFromNow is { } m ? Now.AddMinutes(m) : null, Now));
}
