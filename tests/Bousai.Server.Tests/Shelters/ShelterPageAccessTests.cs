using System.Net;
using Bousai.Server.Tests.Support;

namespace Bousai.Server.Tests.Shelters;

public sealed class ShelterPageAccessTests(BousaiApp app) : IClassFixture<BousaiApp>
{
    [Theory]
    [InlineData("anonymous", "redirect")]
    [InlineData("shelter", "page")]
    [InlineData("hq", "page")]
    [InlineData("field", "403")]
    [InlineData("admin", "403")]
    public async Task The_shelter_page_opens_for_shelter_staff_and_HQ_and_sends_others_to_sign_in(string role, string expected)
    {
        using var client = role == "anonymous" ? app.Client() : await app.SignedInClientAsync(role);

        var response = await client.GetAsync("/shelter");

        switch (expected)
        {
            case "redirect":
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.StartsWith("/login?returnUrl=%2Fshelter", response.Headers.Location!.PathAndQuery);
                break;
            case "403":
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                break;
            default:
                // The page itself, or (in a checkout where web/ is not built) the server saying so: never a refusal.
                Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable) Assert.Contains("shelter.html", await response.Content.ReadAsStringAsync());
                break;
        }
    }
}
