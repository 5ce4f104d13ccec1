using System.Text.RegularExpressions;

namespace Bousai.Server.Tests.Support;

public static partial class LoginForm
{
    /// <summary>Signs in the way a browser does: load the login page for its antiforgery token, then post the form.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string userName, string password, string returnUrl = "/")
    {
        var page = await client.GetStringAsync("/login");
        var token = AntiforgeryField().Match(page);
        if (!token.Success) throw new InvalidOperationException("no antiforgery field in: " + page[..Math.Min(page.Length, 3000)]);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = token.Groups[2].Value,
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        });
        return await client.PostAsync("/login", form);
    }

    [GeneratedRegex("""<input type="hidden" name="(__RequestVerificationToken)" value="([^"]+)">""")]
    private static partial Regex AntiforgeryField();
}
