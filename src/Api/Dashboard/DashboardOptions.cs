namespace Platform.Api.Dashboard;

/// <summary>
/// Section <c>Dashboard</c>. Who may open <c>/dashboard</c>: the users listed here (cookie login) and callers with an
/// API key from <c>Auth:ApiKeys</c> (scope <c>admin</c> acts, <c>read</c> looks). With neither configured the
/// dashboard is open to everyone as admin, like the API itself in local use.
/// </summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>E.g. <c>Dashboard__Users__0__Name=ops</c>, <c>__PasswordSha256=&lt;hex&gt;</c>, <c>__Role=admin</c>.</summary>
    public List<DashboardUser> Users { get; set; } = [];

    /// <summary>
    /// RabbitMQ management API, e.g. <c>http://guest:guest@rabbit:15672/</c>. Default: the host of <c>Bus:RabbitMqUri</c>
    /// on port 15672 with that URI's credentials.
    /// </summary>
    public string? RabbitMqManagementUrl { get; set; }

    /// <summary>How long a login lasts without use (default 8 hours).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

public sealed class DashboardUser
{
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the password (<c>printf %s 'secret' | sha256sum</c>).</summary>
    public string PasswordSha256 { get; set; } = "";

    /// <summary><c>admin</c> (sees and acts) or <c>readonly</c> (sees everything, changes nothing).</summary>
    public string Role { get; set; } = DashboardRoles.ReadOnly;
}

public static class DashboardRoles
{
    public const string Admin = "admin";
    public const string ReadOnly = "readonly";
    public const string ClaimType = "dashboard_role";
}
