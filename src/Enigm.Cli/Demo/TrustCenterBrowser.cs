using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enigm.Cli.Demo;

/// <summary>
/// How the trust-center chapter looks at the pages: as a browser does. <see cref="HeadlessChromium"/> when Debian's
/// Chromium is installed (<c>/usr/bin/chromium</c>, scripts/chromium-install.sh), else <see cref="HttpPageReader"/>,
/// which fetches the same server-rendered HTML with a cookie jar (the narration says which).
/// </summary>
internal interface IPageReader : IAsyncDisposable
{
    /// <summary>What read the pages, for the narration.</summary>
    string Description { get; }

    /// <summary>Opens <paramref name="url"/> (following redirects, keeping cookies) and returns the document's HTML.</summary>
    Task<string> OpenAsync(Uri url, CancellationToken ct);

    /// <summary>On the sign-in page now open: types <paramref name="credential"/> into the labelled field, submits, returns the next page's HTML.</summary>
    Task<string> SignInAsync(Uri loginUrl, string credential, CancellationToken ct);

    /// <summary>Whether a real browser rendered the pages (so <see cref="Errors"/> means something).</summary>
    bool IsBrowser { get; }

    /// <summary>Console errors the browser reported (CSP violations, failed loads, script exceptions); none for plain HTTP.</summary>
    IReadOnlyList<string> Errors { get; }
}

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol (CDP) on a loopback port with a temporary profile:
/// Page.navigate, Page.loadEventFired, Runtime.evaluate for the DOM and the sign-in form. The one-time token and the admin
/// credential travel over the DevTools socket, never on a command line. No Playwright: the CLI stays self-contained.
/// The flags are those of the machine notes and the Center tests (no background networking on a closed network).
/// </summary>
internal sealed class HeadlessChromium : IPageReader
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _calls = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode>> _events = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HeadlessChromium(Process process, ClientWebSocket socket, string version)
    {
        _process = process;
        _socket = socket;
        Description = $"headless {version} over the DevTools protocol";
    }

    public string Description { get; }

    public bool IsBrowser => true;

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors) return [.. _errors];
        }
    }

    public static bool Installed => File.Exists(ExecutablePath);

    public static async Task<HeadlessChromium> StartAsync(string profile, CancellationToken ct)
    {
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(ExecutablePath)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList =
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start");
        // Chromium writes much to stderr (no D-Bus here); drained so it never blocks on a full pipe.
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var socket = new ClientWebSocket();
        try
        {
            var port = await ActivePortAsync(profile, process, ct);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = Timeout };
            var version = (string?)JsonNode.Parse(await http.GetStringAsync("json/version", ct))?["Browser"] ?? "Chromium";
            var page = JsonNode.Parse(await http.GetStringAsync("json/list", ct))!.AsArray()
                .First(t => (string?)t?["type"] == "page" && (string?)t?["url"] == "about:blank")!;
            await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), ct);
            var browser = new HeadlessChromium(process, socket, version);
            browser._receiving = Task.Run(browser.ReceiveLoopAsync, CancellationToken.None);
            await browser.CallAsync("Page.enable", null, ct);
            await browser.CallAsync("Log.enable", null, ct);
            await browser.CallAsync("Runtime.enable", null, ct);
            return browser;
        }
        catch
        {
            socket.Dispose();
            Kill(process);
            throw;
        }
    }

    public async Task<string> OpenAsync(Uri url, CancellationToken ct)
    {
        var loaded = Expect("Page.loadEventFired");
        var navigated = await CallAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri }, ct);
        if ((string?)navigated["errorText"] is { Length: > 0 } error) throw new InvalidOperationException($"Chromium could not open {url.GetLeftPart(UriPartial.Path)}: {error}");
        await loaded.Task.WaitAsync(Timeout, ct);
        return await DomAsync(ct);
    }

    public async Task<string> SignInAsync(Uri loginUrl, string credential, CancellationToken ct)
    {
        await OpenAsync(loginUrl, ct);
        var loaded = Expect("Page.loadEventFired");
        // What a user does: fill the field its label names, press the form's button (a real form POST with the page's Origin).
        var script = $"(() => {{ const label = [...document.querySelectorAll('label')].find(l => l.textContent.trim() === 'Admin credential'); const field = document.getElementById(label.htmlFor); field.value = {JsonSerializer.Serialize(credential)}; field.form.requestSubmit(); return true; }})()";
        await EvaluateAsync(script, ct);
        await loaded.Task.WaitAsync(Timeout, ct);
        return await DomAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // The browser is killed next either way.
        }

        Kill(_process);
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or WebSocketException or OperationCanceledException)
        {
            // Gone with the browser.
        }

        _socket.Dispose();
        _process.Dispose();
        _stop.Dispose();
    }

    private Task<string> DomAsync(CancellationToken ct) => EvaluateAsync("document.documentElement.outerHTML", ct);

    private async Task<string> EvaluateAsync(string expression, CancellationToken ct)
    {
        var result = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, ct);
        if (result["exceptionDetails"] is { } thrown) throw new InvalidOperationException($"the page's script failed: {thrown["text"]} {thrown["exception"]?["description"]}");
        return result["result"]?["value"]?.ToString() ?? "";
    }

    private TaskCompletionSource<JsonNode> Expect(string method)
    {
        var waiter = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _events[method] = waiter;
        return waiter;
    }

    private async Task<JsonNode> CallAsync(string method, JsonObject? parameters, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);
        var reply = await answer.Task.WaitAsync(Timeout, ct);
        if (reply["error"] is { } error) throw new InvalidOperationException($"Chromium refused {method}: {error["message"]}");
        return reply["result"] ?? new JsonObject();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult part;
            try
            {
                part = await _socket.ReceiveAsync(buffer, _stop.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                break;
            }

            if (part.MessageType == WebSocketMessageType.Close) break;
            message.Write(buffer, 0, part.Count);
            if (!part.EndOfMessage) continue;
            var node = JsonNode.Parse(message.ToArray());
            message.SetLength(0);
            if (node?["id"] is { } id && _calls.TryRemove((int)id, out var call)) call.TrySetResult(node);
            else if ((string?)node?["method"] is { } method) OnEvent(method, node!["params"]);
        }

        foreach (var call in _calls.Values) call.TrySetException(new InvalidOperationException("Chromium closed the DevTools connection"));
    }

    private void OnEvent(string method, JsonNode? parameters)
    {
        var error = method switch
        {
            "Log.entryAdded" when (string?)parameters?["entry"]?["level"] == "error" => $"{parameters!["entry"]!["text"]} ({parameters["entry"]!["url"]})",
            "Runtime.exceptionThrown" => (string?)parameters?["exceptionDetails"]?["text"] ?? "script exception",
            "Runtime.consoleAPICalled" when (string?)parameters?["type"] == "error" => "console.error on the page",
            _ => null,
        };
        if (error is not null)
        {
            lock (_errors) _errors.Add(error);
        }

        if (_events.TryRemove(method, out var waiter)) waiter.TrySetResult(parameters ?? new JsonObject());
    }

    /// <summary>The DevTools port Chromium chose, from the profile's DevToolsActivePort file.</summary>
    private static async Task<int> ActivePortAsync(string profile, Process process, CancellationToken ct)
    {
        var file = Path.Combine(profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Timeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"Chromium exited at start (code {process.ExitCode})");
            if (File.Exists(file) && (await File.ReadAllLinesAsync(file, ct)) is [var first, ..] && int.TryParse(first, out var port) && port > 0) return port;
            await Task.Delay(50, ct);
        }

        throw new TimeoutException("Chromium did not open its DevTools port within 30 s");
    }

    private static void Kill(Process process)
    {
        try
        {
            // Only the browser this chapter started (and its renderer/zygote children), by its process object.
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}

/// <summary>Without Chromium: the same pages over HTTP with a cookie jar, as a browser without script would fetch them.</summary>
internal sealed class HttpPageReader : IPageReader
{
    private readonly HttpClient _http = new(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = true }) { Timeout = TimeSpan.FromSeconds(30) };

    public string Description => $"plain HTTP (no {HeadlessChromium.ExecutablePath}; scripts/chromium-install.sh installs it): the server-rendered HTML";

    public bool IsBrowser => false;

    public IReadOnlyList<string> Errors => [];

    public async Task<string> OpenAsync(Uri url, CancellationToken ct)
    {
        using var response = await _http.GetAsync(url, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(ct);
    }

    public async Task<string> SignInAsync(Uri loginUrl, string credential, CancellationToken ct)
    {
        await OpenAsync(loginUrl, ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, loginUrl) { Content = new FormUrlEncodedContent([new("credential", credential)]) };
        // A browser sends the page's own Origin on a form POST; the console refuses a POST without one.
        request.Headers.Add("Origin", loginUrl.GetLeftPart(UriPartial.Authority));
        using var response = await _http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(ct);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
