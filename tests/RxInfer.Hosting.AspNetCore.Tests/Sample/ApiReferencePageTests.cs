using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace RxInfer.Hosting.AspNetCore.Tests.Sample;

/// <summary>
/// The sample host's API reference page (<c>/swagger/</c>) in a real headless Chromium (Debian's <c>chromium</c>,
/// driven by Playwright, which downloads no browser of its own), against the sample host on Kestrel.
/// </summary>
public sealed class ApiReferencePageTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ContractOperations =
    [
        "tokenGenerate", "tokenRoles", "getAvailableModels", "getAvailableModel", "createModelInstance",
        "getModelInstances", "getModelInstance", "deleteModelInstance", "getModelInstanceState",
    ];

    [Fact]
    public async Task The_page_lists_the_operations_and_a_token_generated_and_pasted_in_it_authorises_a_call_with_no_request_off_the_host()
    {
        Assert.True(
            File.Exists(ChromiumPath),
            $"Chromium is missing at {ChromiumPath}: install it with `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium` (.ci/run does this when it is missing).");

        await using var app = Program.CreateApp(["--RXINFER_SERVER_PORT=0", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            ChromiumSandbox = false, // Playwright passes --no-sandbox, which Chromium needs when it runs as root (CI does)
            Timeout = 60_000,
            Args = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        });
        var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(60_000); // generous: the machine is shared; a healthy run takes a few seconds

        // Every request the page makes is recorded; names other than the loopback address do not resolve, so a
        // request off the host fails at once instead of waiting on the network.
        var requests = new ConcurrentQueue<Uri>();
        context.Request += (_, request) => requests.Enqueue(new Uri(request.Url));

        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(address, "/").ToString()); // redirected to the page
        Assert.EndsWith("/swagger/index.html", page.Url, StringComparison.Ordinal);

        // The operations are listed, by operationId.
        await page.Locator(".opblock-summary-operation-id", new() { HasText = "getModelInstanceState" }).WaitForAsync();
        var listed = await page.Locator(".opblock-summary-operation-id").AllInnerTextsAsync();
        Assert.All(ContractOperations, id => Assert.Contains(id, listed));

        // "Try it out" on POST /v1/token/generate: the page calls the host and shows the new token.
        var token = await ExecuteAsync(page, "tokenGenerate", "/v1/token/generate", expectAuthorization: false);
        var tokenText = token.GetProperty("token").GetString();
        Assert.StartsWith("rxi_", tokenText, StringComparison.Ordinal);

        // Paste it under "Authorize" (the ApiKeyAuth bearer scheme) and call GET /v1/token/roles with it.
        await page.Locator("button.authorize").First.ClickAsync();
        var dialog = page.Locator(".auth-container", new() { HasText = "ApiKeyAuth" });
        await dialog.Locator("input").First.FillAsync(tokenText!);
        await dialog.Locator("button.authorize").ClickAsync();
        await page.Locator("button.btn-done").ClickAsync();

        var roles = await ExecuteAsync(page, "tokenRoles", "/v1/token/roles", expectAuthorization: true);
        Assert.Equal(["user"], roles.GetProperty("roles").EnumerateArray().Select(static r => r.GetString()));

        var offHost = requests.Where(url => url.Scheme is not ("data" or "blob") && (url.Scheme != address.Scheme || url.Authority != address.Authority)).ToList();
        Assert.True(offHost.Count == 0, $"the page made requests off the host: {string.Join(", ", offHost)}");
        Assert.Contains(requests, static url => url.AbsolutePath == "/openapi/v1.json");
        Assert.Contains(requests, static url => url.AbsolutePath == "/swagger/swagger-ui-bundle.js");
        await app.StopAsync();
    }

    /// <summary>Opens an operation, presses Execute, and returns the JSON body of the call the page made (which must be a 200).</summary>
    private static async Task<JsonElement> ExecuteAsync(IPage page, string operationId, string path, bool expectAuthorization)
    {
        var operation = page.Locator(".opblock", new() { Has = page.Locator(".opblock-summary-operation-id", new() { HasTextRegex = new Regex($"^{operationId}$") }) });
        await operation.Locator(".opblock-summary").ClickAsync();
        var response = await page.RunAndWaitForResponseAsync(
            () => operation.Locator("button.execute").ClickAsync(),
            candidate => new Uri(candidate.Url).AbsolutePath == path);

        Assert.Equal(200, response.Status);
        var authorization = await response.Request.HeaderValueAsync("authorization");
        if (expectAuthorization)
        {
            Assert.StartsWith("Bearer rxi_", authorization, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(authorization);
        }

        // The page shows the status of the call it made.
        await operation.Locator(".live-responses-table .response-col_status", new() { HasTextString = "200" }).WaitForAsync();
        using var body = JsonDocument.Parse(await response.TextAsync());
        return body.RootElement.Clone();
    }
}
