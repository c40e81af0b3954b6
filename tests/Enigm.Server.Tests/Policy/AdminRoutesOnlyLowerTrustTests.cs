using Enigm.Server.Apis;
using Enigm.Trust.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Xunit;

namespace Enigm.Server.Tests.Policy;

/// <summary>
/// "Administration can only lower trust" (issue 14, DESIGN "Trust Security Center and managed devices"): every route the
/// admin listener maps is enumerated and must be on this reviewed list, each with why it cannot raise trust. A new admin
/// route fails this test until it is reviewed and added here.
/// </summary>
public sealed class AdminRoutesOnlyLowerTrustTests
{
    /// <summary>Method and route → why it cannot add a device, expose content or change anyone's keys.</summary>
    private static readonly Dictionary<string, string> Reviewed = new(StringComparer.Ordinal)
    {
        ["GET /admin/v1/accounts"] = "metadata: ids, flags, queue depths",
        ["GET /admin/v1/accounts/{account}"] = "metadata: ids, flags, queue depths",
        ["POST /admin/v1/accounts/{account}/disable"] = "lowers: disables an account",
        ["GET /admin/v1/stats"] = "metadata: counts",
        ["PUT /admin/v1/org/key"] = "registers the organisation key once; never replaced (409); it only signs restrictions",
        ["PUT /admin/v1/org/policy"] = "lowers: an org-signed policy only restricts devices that fail it; versions only increase",
        ["POST /admin/v1/org/actions"] = "lowers: org-signed restrict / revoke; lift only undoes a restrict, the policy still applies",
        ["GET /admin/v1/org/devices"] = "metadata: compliance states and reasons from posture counts",
        ["GET /admin/v1/org/audit"] = "the admin audit log (admin actions only)",
        ["GET /admin/v1/org/audit/log"] = "the admin audit log (admin actions only)",
        ["GET /admin/v1/org/audit/head"] = "the admin audit log's head",
    };

    [Fact]
    public void Every_admin_route_is_reviewed_and_none_adds_devices_reads_content_or_changes_keys()
    {
        var routes = AdminRoutes();

        Assert.Equal(Reviewed.Keys.Order(StringComparer.Ordinal), routes.Order(StringComparer.Ordinal));
        foreach (var route in routes)
        {
            var lower = route.ToLowerInvariant();
            Assert.DoesNotContain("message", lower, StringComparison.Ordinal);
            Assert.DoesNotContain("mailbox", lower, StringComparison.Ordinal);
            Assert.DoesNotContain("attachment", lower, StringComparison.Ordinal);
            Assert.DoesNotContain("export", lower, StringComparison.Ordinal);
            Assert.DoesNotContain("prekey", lower, StringComparison.Ordinal);
            Assert.DoesNotContain("/log", lower.Replace("/audit/log", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain("contact", lower, StringComparison.Ordinal);
            // No route writes to a device collection (adding or re-keying a device).
            Assert.False(!lower.StartsWith("get ", StringComparison.Ordinal) && lower.Contains("/devices", StringComparison.Ordinal), route);
        }
    }

    [Fact]
    public void Admin_actions_are_only_policy_restrict_lift_and_revoke()
    {
        Assert.Equal(
            [AdminActionKind.SetPolicy, AdminActionKind.Restrict, AdminActionKind.LiftRestriction, AdminActionKind.Revoke],
            Enum.GetValues<AdminActionKind>());
    }

    /// <summary>The admin listener's routes as "METHOD pattern", from the same AdminApi.Map the relay calls.</summary>
    private static List<string> AdminRoutes()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        // Map only captures the state in its handlers; no handler runs here.
        AdminApi.Map(app, null!, [1]);
        return
        [
            .. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText}")),
        ];
    }
}
