using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Platform.Api.Scheduling;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using Platform.Tests.EndToEnd;
using Platform.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Platform.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser against the API process in single-process mode (SQLite, in-memory bus, workers
/// inside), with one admin and one read-only user configured. Screenshots of every page go to artifacts/screenshots.
/// </summary>
[TestFixture]
[Category("Browser")]
[NonParallelizable]
public sealed class DashboardBrowserTests
{
    private const string Admin = "ops", AdminPassword = "correct horse", Viewer = "viewer", ViewerPassword = "look only";
    private static readonly float Patience = 60_000; // upper bound for work the workers do; not a timing under test

    private string _work = null!;
    private HostProcess _api = null!;
    private Browser _browser = null!;
    private Db _db = null!;
    private Guid _documentId;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _work = Directory.CreateTempSubdirectory("platform-dashboard-").FullName;
        _api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string>
        {
            ["Dashboard__Users__0__Name"] = Admin, ["Dashboard__Users__0__PasswordSha256"] = Sha256(AdminPassword),
            ["Dashboard__Users__0__Role"] = "admin",
            ["Dashboard__Users__1__Name"] = Viewer, ["Dashboard__Users__1__PasswordSha256"] = Sha256(ViewerPassword),
            ["Dashboard__Users__1__Role"] = "readonly",
        }, _work);
        _browser = await Browser.LaunchAsync();
        _db = new Db(Options.Create(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(_work, "data", "platform.db")}" }));
        var client = new PlatformClient(new HttpClient { BaseAddress = _api.BaseAddress });
        var accepted = await client.UploadTextAsync("guide.md", Samples.OperationsGuide);
        await client.WaitForSuccessAsync(accepted.GetGuid("jobId"));
        _documentId = accepted.GetGuid("documentId");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _browser.DisposeAsync();
        await _api.DisposeAsync();
        await _db.DisposeAsync();
        TestFolders.Delete(_work);
    }

    [Test, Order(1)]
    public async Task Should_show_the_login_and_never_data_to_an_anonymous_user()
    {
        var page = await _browser.NewPageAsync(_api.BaseAddress);

        await page.GotoAsync("dashboard/");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dashboard/login$"));
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "login");
        foreach (var path in new[] { "overview", "jobs", "workers", "queues", "backups", "documents", "me" })
        {
            var response = await page.APIRequest.GetAsync($"dashboard/api/{path}");
            Assert.That(response.Status, Is.EqualTo(401), path);
            Assert.That(await response.TextAsync(), Does.Not.Contain(_documentId.ToString()), path);
        }
        var action = await page.APIRequest.PostAsync("dashboard/api/jobs/retry-failed", new() { Headers = new Dictionary<string, string> { ["X-Dashboard"] = "1" } });
        Assert.That(action.Status, Is.EqualTo(401));

        // Hangfire's dashboard: a browser goes to the login, a script gets 401, neither gets a page.
        foreach (var path in new[] { "hangfire", "hangfire/recurring" })
        {
            await page.GotoAsync(path);
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dashboard/login$"));
            var response = await page.APIRequest.GetAsync(path);
            Assert.That(response.Status, Is.EqualTo(401), path);
            Assert.That(await response.TextAsync(), Does.Not.Contain(MaintenanceJobs.Backup), path);
        }
        var trigger = await page.APIRequest.PostAsync("hangfire/recurring/trigger", new() { Form = Trigger(page, MaintenanceJobs.Backup) });
        Assert.That(trigger.Status, Is.EqualTo(401));
    }

    [Test, Order(2)]
    public async Task Should_refuse_a_wrong_password()
    {
        var page = await _browser.NewPageAsync(_api.BaseAddress);

        await LogInAsync(page, Admin, "not the password", expectSuccess: false);

        await Expect(page.Locator("#failed")).ToBeVisibleAsync();
        Assert.That((await page.APIRequest.GetAsync("dashboard/api/jobs")).Status, Is.EqualTo(401));
    }

    [Test, Order(3)]
    public async Task Should_show_a_failed_job_with_its_reason_and_retry_it_to_success()
    {
        var failed = await RecordFailedIngestAsync();
        var page = await _browser.NewPageAsync(_api.BaseAddress);
        await LogInAsync(page, Admin, AdminPassword);

        await page.GotoAsync("dashboard/#/jobs?status=failed");
        var row = page.Locator($"tr[data-job='{failed}']");
        await Expect(row).ToContainTextAsync("not_found");
        await Expect(row).ToContainTextAsync("was missing");
        await Expect(row.Locator("td.file")).ToHaveTextAsync("guide.md"); // the row names the upload, not only its id
        await Browser.ScreenshotAsync(page, "jobs");
        await row.ClickAsync();
        await Expect(page.Locator("#job-error")).ToContainTextAsync("not_found");
        await Expect(page.Locator("#job-document")).ToContainTextAsync("guide.md");
        await Expect(page.Locator("#job-status")).ToContainTextAsync("failed");
        await Browser.ScreenshotAsync(page, "job-failed");

        await page.ClickAsync("#retry");

        await Expect(page.Locator("#job-status")).ToContainTextAsync("succeeded", new() { Timeout = Patience });
        await Expect(page.Locator("#job-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#job-attempts")).ToHaveTextAsync("2"); // the failed attempt is kept
        await Browser.ScreenshotAsync(page, "job-succeeded");
        var job = await new JobStore(_db, TimeProvider.System).GetAsync(failed);
        Assert.That(job!.Status, Is.EqualTo(JobStatus.Succeeded));
    }

    [Test, Order(4)]
    public async Task Should_list_the_recurring_jobs_in_Hangfire_and_fire_the_backup_an_admin_triggers()
    {
        var page = await _browser.NewPageAsync(_api.BaseAddress);
        await LogInAsync(page, Admin, AdminPassword);

        await page.ClickAsync("#hangfire-link"); // operations dashboard -> Hangfire, one login
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/hangfire/recurring$"));
        foreach (var (id, cron) in new[] { (MaintenanceJobs.Backup, "0 2 * * *"), (MaintenanceJobs.Retention, "30 2 * * *"), (MaintenanceJobs.Verify, "0 4 * * 0") })
        {
            await Expect(RecurringRow(page, id)).ToContainTextAsync(cron);
        }
        await Browser.ScreenshotAsync(page, "hangfire-recurring");

        await RecurringRow(page, MaintenanceJobs.Backup).Locator("input.js-jobs-list-checkbox").CheckAsync();
        var triggered = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[data-url$='/recurring/trigger']"),
            r => r.Url.EndsWith("/recurring/trigger", StringComparison.Ordinal));
        Assert.That(triggered.Ok, Is.True);

        // Hangfire's job lists do not refresh themselves: reload until the firing has succeeded.
        var firing = page.Locator("a.job-method", new() { HasText = "Nightly backup" });
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await page.GotoAsync("hangfire/jobs/succeeded");
            }
            catch (PlaywrightException)
            {
                return false; // Hangfire's own reload after "Trigger now" cut this navigation short
            }
            return await firing.CountAsync() == 1;
        }, "the firing succeeds", TimeSpan.FromMilliseconds(Patience));
        await firing.ClickAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("Submitted platform job");
        await Browser.ScreenshotAsync(page, "hangfire-firing");
        await page.ClickAsync("text=Operations dashboard"); // Hangfire -> operations dashboard
        await Expect(page.Locator("#role")).ToHaveTextAsync("admin");
        await page.GotoAsync("dashboard/#/backups");
        await Expect(page.Locator("#backups tbody tr").First).ToContainTextAsync("succeeded", new() { Timeout = Patience });
        await Browser.ScreenshotAsync(page, "backups");
        Assert.That(await CountJobsAsync(JobTypes.Backup), Is.EqualTo(1), "one firing, one backup job");
    }

    [Test, Order(5)]
    public async Task Should_let_a_read_only_user_see_everything_and_press_nothing()
    {
        var failed = await RecordFailedIngestAsync();
        var page = await _browser.NewPageAsync(_api.BaseAddress);
        await LogInAsync(page, Viewer, ViewerPassword);
        await Expect(page.Locator("#role")).ToHaveTextAsync("readonly");

        await page.GotoAsync("dashboard/#/jobs");
        await Expect(page.Locator($"tr[data-job='{failed}']")).ToContainTextAsync("not_found");
        await Expect(page.Locator("#retry-failed")).ToHaveCountAsync(0);
        await page.GotoAsync($"dashboard/#/jobs/{failed}");
        await Expect(page.Locator("#job-error")).ToContainTextAsync("not_found");
        await Expect(page.Locator("#retry")).ToHaveCountAsync(0);
        await Expect(page.Locator("#delete")).ToHaveCountAsync(0);
        await page.GotoAsync("hangfire/recurring");
        await Expect(RecurringRow(page, MaintenanceJobs.Backup)).ToContainTextAsync("0 2 * * *");
        await Expect(page.Locator("button[data-url$='/recurring/trigger'], button[data-url$='/recurring/remove']")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(page, "hangfire-readonly");
        var hangfireTrigger = await TriggerFromPageAsync(page, MaintenanceJobs.Retention);
        await page.GotoAsync("dashboard/#/backups");
        await Expect(page.Locator("#backup-table")).ToBeVisibleAsync();
        await Expect(page.Locator("#start-backup")).ToHaveCountAsync(0);

        // The server refuses too, not only the buttons: the same request an admin's button sends.
        var status = await page.EvaluateAsync<int>(
            "id => fetch(`/dashboard/api/jobs/${id}/retry`, { method: 'POST', headers: { 'X-Dashboard': '1' } }).then(r => r.status)",
            failed.ToString());
        Assert.That(status, Is.EqualTo(403));
        Assert.That(hangfireTrigger, Is.AnyOf(401, 403), "Hangfire refuses the read-only caller's trigger");
        Assert.That(await CountJobsAsync(JobTypes.BackupRetention), Is.Zero, "nothing fired");
        Assert.That((await new JobStore(_db, TimeProvider.System).GetAsync(failed))!.Status, Is.EqualTo(JobStatus.Failed));
    }

    [Test, Order(6)]
    public async Task Should_show_overview_queues_and_workers_with_live_figures()
    {
        var page = await _browser.NewPageAsync(_api.BaseAddress);
        await LogInAsync(page, Admin, AdminPassword);

        await Expect(page.Locator(".card.succeeded .n")).Not.ToHaveTextAsync("0");
        await Expect(page.Locator("#by-type")).ToContainTextAsync("ingest");
        await Expect(page.Locator("#chart-hour rect").First).ToBeAttachedAsync();
        await Browser.ScreenshotAsync(page, "overview");

        // Live: a job recorded behind the page's back appears without a reload.
        var failed = await RecordFailedIngestAsync();
        await page.GotoAsync("dashboard/#/jobs");
        await Expect(page.Locator($"tr[data-job='{failed}']")).ToBeVisibleAsync();
        var another = await RecordFailedIngestAsync();
        await Expect(page.Locator($"tr[data-job='{another}']")).ToBeVisibleAsync(new() { Timeout = Patience });

        await page.GotoAsync("dashboard/#/queues");
        await Expect(page.Locator("tr[data-queue='parse-document']")).ToContainTextAsync("parse-document_error");
        await Browser.ScreenshotAsync(page, "queues");

        await page.GotoAsync("dashboard/#/workers");
        var self = page.Locator("#workers tbody tr", new() { HasText = "Platform.Standalone" }); // single-process mode is its own host
        await Expect(self).ToContainTextAsync("alive", new() { Timeout = Patience });
        await Expect(self).ToContainTextAsync(_api.Pid.ToString());
        await Expect(self).ToContainTextAsync("parse-document");
        await Browser.ScreenshotAsync(page, "workers");
    }

    [Test, Order(7)]
    public async Task Should_retry_every_failed_job_at_once()
    {
        var failed = new[] { await RecordFailedIngestAsync(), await RecordFailedIngestAsync() };
        var page = await _browser.NewPageAsync(_api.BaseAddress);
        await LogInAsync(page, Admin, AdminPassword);
        await page.GotoAsync("dashboard/#/jobs?status=failed");
        await Expect(page.Locator($"tr[data-job='{failed[1]}']")).ToBeVisibleAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.ClickAsync("#retry-failed");

        await Expect(page.Locator("#jobs")).ToHaveCountAsync(0, new() { Timeout = Patience }); // "No jobs match." once none is failed
        var jobs = new JobStore(_db, TimeProvider.System);
        foreach (var id in failed)
        {
            var job = await jobs.GetAsync(id);
            Assert.That(job!.Status, Is.AnyOf(JobStatus.Queued, JobStatus.Running, JobStatus.Succeeded));
        }
    }

    [Test, Order(8)]
    public async Task Should_let_an_admin_trigger_a_recurring_job_with_the_request_a_read_only_user_is_refused()
    {
        var page = await _browser.NewPageAsync(_api.BaseAddress);
        await LogInAsync(page, Admin, AdminPassword);
        await page.GotoAsync("hangfire/recurring");

        var status = await TriggerFromPageAsync(page, MaintenanceJobs.Retention);

        Assert.That(status, Is.InRange(200, 299));
        await Expect(page.Locator("body")).ToBeVisibleAsync();
        await Eventually.HoldsAsync(async () => await CountJobsAsync(JobTypes.BackupRetention) == 1, "the retention job is submitted",
            TimeSpan.FromMilliseconds(Patience));
    }

    private async Task<long> CountJobsAsync(string type) =>
        await _db.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM jobs WHERE type = @type", new { type });

    private static ILocator RecurringRow(IPage page, string id) =>
        page.Locator($"tr:has(td:text-is('{id}'))"); // read-only pages have no checkboxes

    private static IFormData Trigger(IPage page, string id) => page.APIRequest.CreateFormData().Set("jobs[]", id);

    /// <summary>The POST Hangfire's "Trigger now" button sends, with the page's anti-forgery token: the status it gets.</summary>
    private static Task<int> TriggerFromPageAsync(IPage page, string id) =>
        page.EvaluateAsync<int>(
            """
            id => fetch('/hangfire/recurring/trigger', {
              method: 'POST',
              headers: {
                [document.querySelector('meta[name=csrf-header]').content]: document.querySelector('meta[name=csrf-token]').content,
                'Content-Type': 'application/x-www-form-urlencoded',
              },
              body: 'jobs%5B%5D=' + encodeURIComponent(id),
            }).then(r => r.status)
            """, id);

    [Test, Order(9)]
    public async Task Should_offer_no_retry_for_a_failure_a_retry_cannot_change_and_say_why()
    {
        var permanent = await RecordFailedIngestAsync(ReasonCodes.CorruptFile, "The PDF is truncated.");
        var page = await _browser.NewPageAsync(_api.BaseAddress);
        await LogInAsync(page, Admin, AdminPassword);

        await page.GotoAsync($"dashboard/#/jobs/{permanent}");

        await Expect(page.Locator("#job-error")).ToContainTextAsync("corrupt_file");
        await Expect(page.Locator("#not-retryable")).ToContainTextAsync("the same bytes fail again");
        await Expect(page.Locator("#retry")).ToHaveCountAsync(0);
        await Expect(page.Locator("#delete")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "job-not-retryable");
        var direct = await page.EvaluateAsync<int>(
            "id => fetch(`/dashboard/api/jobs/${id}/retry`, { method: 'POST', headers: { 'X-Dashboard': '1' } }).then(r => r.status)", permanent.ToString());
        Assert.That(direct, Is.EqualTo(409));
        var all = await page.EvaluateAsync<int>(
            "() => fetch('/dashboard/api/jobs/retry-failed', { method: 'POST', headers: { 'X-Dashboard': '1' } }).then(r => r.json()).then(b => b.retried)");
        Assert.That(all, Is.Zero, "retry-all skips it too");
        Assert.That((await new JobStore(_db, TimeProvider.System).GetAsync(permanent))!.Status, Is.EqualTo(JobStatus.Failed));
    }

    [Test, Order(10)]
    public async Task Should_list_documents_newest_first_and_filter_them_by_name()
    {
        var client = new PlatformClient(new HttpClient { BaseAddress = _api.BaseAddress });
        var newer = await client.UploadTextAsync("runbook.md", "# Runbook\n\nWhat the on-call engineer checks first.");
        var page = await _browser.NewPageAsync(_api.BaseAddress);
        await LogInAsync(page, Admin, AdminPassword);

        await page.GotoAsync("dashboard/#/documents");

        var rows = page.Locator("#documents tbody tr");
        await Expect(rows.First).ToHaveAttributeAsync("data-document", newer.GetGuid("documentId").ToString());
        var guide = page.Locator($"tr[data-document='{_documentId}']");
        await Expect(guide).ToContainTextAsync("guide.md");
        await Expect(guide).ToContainTextAsync("indexed");
        await Browser.ScreenshotAsync(page, "documents");
        await page.FillAsync("#d-name", "GUIDE");
        await page.DispatchEventAsync("#document-filters", "change");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-document", _documentId.ToString());
    }

    /// <summary>
    /// A failed ingest job of the uploaded document, recorded the way a worker records one whose upload was missing.
    /// The failure is staged in the database; the retry that follows is the real one.
    /// </summary>
    private async Task<Guid> RecordFailedIngestAsync(string code = ReasonCodes.NotFound, string? message = null)
    {
        var jobs = new JobStore(_db, TimeProvider.System);
        var job = await jobs.CreateAsync("default", JobTypes.Ingest, null, _documentId);
        await jobs.MarkDispatchedAsync(job.Id);
        await jobs.TryStartAsync(job.Id);
        await jobs.FailAsync(job.Id, code, message ?? $"Upload of document {_documentId} was missing from the blob store.");
        return job.Id;
    }

    private static async Task LogInAsync(IPage page, string name, string password, bool expectSuccess = true)
    {
        await page.GotoAsync("dashboard/login");
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login");
        if (expectSuccess)
        {
            await Expect(page.Locator("#role")).ToBeVisibleAsync();
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
