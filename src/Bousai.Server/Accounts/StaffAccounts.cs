using Bousai.Domain.Accounts;
using Bousai.Server.Audit;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Bousai.Server.Accounts;

public sealed record StaffAccount(long Id, string UserName, string DisplayName, string Role, IReadOnlyList<string> ShelterIds);

public sealed class AccountOptions
{
    public int MaxFailedAttempts { get; set; } = LoginLockout.Default.MaxFailedAttempts;
    public int LockoutMinutes { get; set; } = (int)LoginLockout.Default.LockoutDuration.TotalMinutes;

    public LoginLockout Lockout => new(MaxFailedAttempts, TimeSpan.FromMinutes(LockoutMinutes));
}

public enum SignInResult { Succeeded, WrongCredentials, LockedOut }

public sealed record SignInAttempt(SignInResult Result, StaffAccount? Account, DateTimeOffset? LockedUntil);

/// <summary>Staff accounts in the users table. Passwords are hashed with ASP.NET Core Identity's PasswordHasher.</summary>
public sealed class StaffAccounts(NpgsqlDataSource db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<AccountOptions> options)
{
    private static readonly PasswordHasher<StaffAccount> Hasher = new();
    // Verified when the user name is unknown, so a wrong name costs as much time as a wrong password.
    private static readonly string UnknownUserHash = Hasher.HashPassword(null!, "unknown-user-timing-equaliser");

    public async Task<SignInAttempt> SignInAsync(string userName, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var find = new NpgsqlCommand(
            "SELECT id, display_name, role, password_hash, failed_login_count, locked_until FROM users WHERE user_name = $1 FOR UPDATE",
            connection, transaction);
        find.Parameters.AddWithValue(userName);
        long id;
        string displayName, role, hash;
        int failedCount;
        DateTimeOffset? lockedUntil;
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                Hasher.VerifyHashedPassword(null!, UnknownUserHash, password);
                return new SignInAttempt(SignInResult.WrongCredentials, null, null);
            }

            (id, displayName, role, hash, failedCount) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4));
            lockedUntil = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5);
        }

        if (LoginLockout.IsLockedOut(lockedUntil, now))
        {
            await AuditLog.RecordAsync(connection, transaction, new AuditEntry(userName, "login.refused-locked", "user", userName), ct);
            await transaction.CommitAsync(ct);
            return new SignInAttempt(SignInResult.LockedOut, null, lockedUntil);
        }

        var account = new StaffAccount(id, userName, displayName, role, await ShelterIdsAsync(connection, transaction, id, ct));
        var verification = Hasher.VerifyHashedPassword(account, hash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            var failure = options.Value.Lockout.AfterFailure(failedCount, now);
            await using var update = new NpgsqlCommand(
                "UPDATE users SET failed_login_count = $2, locked_until = $3 WHERE id = $1", connection, transaction);
            update.Parameters.AddWithValue(id);
            update.Parameters.AddWithValue(failure.FailedCount);
            update.Parameters.AddWithValue(failure.LockedUntil is { } until ? until : DBNull.Value);
            await update.ExecuteNonQueryAsync(ct);
            await AuditLog.RecordAsync(connection, transaction, new AuditEntry(userName,
                failure.LockedUntil is null ? "login.failed" : "login.failed-locked", "user", userName,
                new Dictionary<string, object?> { ["lockedUntil"] = failure.LockedUntil }), ct);
            await transaction.CommitAsync(ct);
            return failure.LockedUntil is { } lockEnd
                ? new SignInAttempt(SignInResult.LockedOut, null, lockEnd)
                : new SignInAttempt(SignInResult.WrongCredentials, null, null);
        }

        await using (var success = new NpgsqlCommand(
            "UPDATE users SET failed_login_count = 0, locked_until = NULL, password_hash = $2 WHERE id = $1", connection, transaction))
        {
            success.Parameters.AddWithValue(id);
            success.Parameters.AddWithValue(verification == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account, password) : hash);
            await success.ExecuteNonQueryAsync(ct);
        }

        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(userName, "login", "user", userName), ct);
        await transaction.CommitAsync(ct);
        return new SignInAttempt(SignInResult.Succeeded, account, null);
    }

    /// <summary>Creates an account, or when <paramref name="replaceExisting"/> resets the password and role of an existing one.</summary>
    public async Task<StaffAccount> SaveAsync(NewStaffAccount account, string actor, bool replaceExisting, CancellationToken ct)
    {
        if (!Roles.IsKnown(account.Role))
        {
            throw new ArgumentException($"Unknown role '{account.Role}'. Roles: {string.Join(", ", Roles.All)}.");
        }

        if (account.Role == Roles.Shelter && account.ShelterIds.Count == 0)
        {
            throw new ArgumentException("A shelter account must be tied to at least one shelter (--shelter ID).");
        }

        if (account.Password.Length < 12)
        {
            throw new ArgumentException("Passwords must be at least 12 characters.");
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var hash = Hasher.HashPassword(null!, account.Password);
        await using var upsert = new NpgsqlCommand($"""
            INSERT INTO users (user_name, display_name, role, password_hash) VALUES ($1, $2, $3, $4)
            ON CONFLICT (user_name) DO {(replaceExisting
                ? "UPDATE SET display_name = excluded.display_name, role = excluded.role, password_hash = excluded.password_hash, failed_login_count = 0, locked_until = NULL"
                : "NOTHING")}
            RETURNING id, (xmax = 0)
            """, connection, transaction);
        upsert.Parameters.AddWithValue(account.UserName);
        upsert.Parameters.AddWithValue(account.DisplayName);
        upsert.Parameters.AddWithValue(account.Role);
        upsert.Parameters.AddWithValue(hash);
        long id;
        bool created;
        try
        {
            await using var reader = await upsert.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new ArgumentException($"The user '{account.UserName}' already exists.");
            }

            (id, created) = (reader.GetInt64(0), reader.GetBoolean(1));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            throw new ArgumentException(
                $"'{account.UserName}' is not a valid user name: use 2–63 lower-case letters, digits, '.', '_' or '-'.");
        }

        await using (var clear = new NpgsqlCommand("DELETE FROM user_shelters WHERE user_id = $1", connection, transaction))
        {
            clear.Parameters.AddWithValue(id);
            await clear.ExecuteNonQueryAsync(ct);
        }

        foreach (var shelterId in account.ShelterIds)
        {
            await using var tie = new NpgsqlCommand("INSERT INTO user_shelters (user_id, shelter_id) VALUES ($1, $2)", connection, transaction);
            tie.Parameters.AddWithValue(id);
            tie.Parameters.AddWithValue(shelterId);
            try
            {
                await tie.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                throw new ArgumentException($"There is no shelter '{shelterId}' (import the shelters first).");
            }
        }

        await AuditLog.RecordAsync(connection, transaction, new AuditEntry(actor, created ? "user.create" : "user.reset", "user", account.UserName,
            new Dictionary<string, object?> { ["role"] = account.Role, ["shelters"] = account.ShelterIds }), ct);
        await transaction.CommitAsync(ct);
        return new StaffAccount(id, account.UserName, account.DisplayName, account.Role, account.ShelterIds);
    }

    public async Task<bool> ExistsAsync(string userName, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM users WHERE user_name = $1)");
        command.Parameters.AddWithValue(userName);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<StaffAccountListing>> ListAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT u.user_name, u.display_name, u.role, u.locked_until,
                   coalesce(array_agg(s.shelter_id ORDER BY s.shelter_id) FILTER (WHERE s.shelter_id IS NOT NULL), '{}')
            FROM users u LEFT JOIN user_shelters s ON s.user_id = u.id
            GROUP BY u.id ORDER BY u.user_name
            """);
        var result = new List<StaffAccountListing>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new StaffAccountListing(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<string[]>(4)));
        }

        return result;
    }

    private static async Task<IReadOnlyList<string>> ShelterIdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long userId,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT shelter_id FROM user_shelters WHERE user_id = $1 ORDER BY shelter_id", connection, transaction);
        command.Parameters.AddWithValue(userId);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }
}

public sealed record NewStaffAccount(string UserName, string DisplayName, string Role, string Password, IReadOnlyList<string> ShelterIds);

public sealed record StaffAccountListing(string UserName, string DisplayName, string Role, DateTimeOffset? LockedUntil, IReadOnlyList<string> ShelterIds);
