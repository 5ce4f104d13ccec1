using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Bousai.Bench;

/// <summary>A staff member signed in through the login form, as a browser would: antiforgery token from the page, session cookie in a jar.</summary>
public sealed partial class StaffSession : IDisposable
{
    private readonly HttpClient _http;

    private StaffSession(HttpClient http) => _http = http;

    public static async Task<StaffSession> SignInAsync(Uri server, string userName, string password, CancellationToken ct)
    {
        var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = server,
        };
        try
        {
            var page = await http.GetStringAsync("/login", ct);
            var token = AntiforgeryField().Match(page) is { Success: true } match
                ? WebUtility.HtmlDecode(match.Groups[1].Value)
                : throw new InvalidOperationException("The login page has no __RequestVerificationToken field.");
            using var response = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["userName"] = userName,
                ["password"] = password,
                ["returnUrl"] = "/",
            }), ct);
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Signing in as {userName} failed: HTTP {(int)response.StatusCode}.");
            }

            return new StaffSession(http);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Commits one shelter status change: one situation event.</summary>
    public async Task SetShelterStatusAsync(string shelterId, bool open, int occupancy, CancellationToken ct)
    {
        using var response = await _http.PutAsJsonAsync($"/api/shelters/{shelterId}/status", new { open, occupancy }, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(
                $"PUT /api/shelters/{shelterId}/status answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    /// <summary>Records a 警戒レベル the 本部長 decided for a district: one situation event, and the residents' notice in the same transaction.</summary>
    public async Task IssueEvacuationLevelAsync(string districtId, int level, string reason, CancellationToken ct)
    {
        using var response = await _http.PutAsJsonAsync($"/api/districts/{Uri.EscapeDataString(districtId)}/evacuation-level",
            new { level, decidedBy = "本部長", reason }, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(
                $"PUT /api/districts/{districtId}/evacuation-level answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    /// <summary>A GET as this staff member (a read: no antiforgery token needed).</summary>
    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken ct) => _http.GetAsync(path, ct);

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
