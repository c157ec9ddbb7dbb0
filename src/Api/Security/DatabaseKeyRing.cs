using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Platform.Data;

namespace Platform.Api.Security;

/// <summary>
/// The API's data-protection key ring, kept in the database (table <c>data_protection_keys</c>). Those keys sign and
/// encrypt the dashboard's login cookie. ASP.NET Core's default keeps them in a folder of the user's home, which is
/// one container's own: behind a load balancer, a cookie issued by one replica was refused by the next, and every
/// restart or deploy logged everyone out. Every replica reads this one ring.
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous. The framework reads the ring once, then again when a key is near its
/// expiry or a cookie names a key it has not seen; it writes when it creates a key (every 90 days). So waiting on
/// the database here is rare. The keys are stored as the framework writes them: unencrypted, like the database's other
/// secrets. Whoever can read this table can forge a dashboard login.
/// </remarks>
public sealed class DatabaseKeyRing(Db db, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. db.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_at").GetAwaiter().GetResult().Select(XElement.Parse)];

    public void StoreElement(XElement element, string friendlyName) =>
        db.ExecuteAsync(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now)",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = clock.GetUtcNow() }).GetAwaiter().GetResult();
}
