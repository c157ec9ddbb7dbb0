using System.Text;
using Platform.Search;
using Platform.Tests.Ingest;

namespace Platform.Tests.Ai;

/// <summary>
/// A fact that lives in one row of a real data file (Debian's release table from distro-info-data, parsed and packed by the
/// ingest worker's own classes) is found by the default search mode among prose that names the same release many times
/// (pages of the Debian FAQ). (The extractive answer to this question still quotes FAQ prose: the row shares two of the
/// question's six terms, under the relevance floor; docs/benchmarks.md, "Quality".)
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TableRowSearchTests
{
    private const string DebianCsv = """
        version,codename,series,created,release,eol,eol-lts,eol-elts
        1.1,Buzz,buzz,1993-08-16,1996-06-17,1997-06-05
        1.2,Rex,rex,1996-06-17,1996-12-12,1998-06-05
        1.3,Bo,bo,1996-12-12,1997-06-05,1999-03-09
        2.0,Hamm,hamm,1997-06-05,1998-07-24,2000-03-09
        2.1,Slink,slink,1998-07-24,1999-03-09,2000-10-30
        2.2,Potato,potato,1999-03-09,2000-08-15,2003-06-30
        3.0,Woody,woody,2000-08-15,2002-07-19,2006-06-30
        3.1,Sarge,sarge,2002-07-19,2005-06-06,2008-03-31
        4.0,Etch,etch,2005-06-06,2007-04-08,2010-02-15
        5.0,Lenny,lenny,2007-04-08,2009-02-14,2012-02-06
        6.0,Squeeze,squeeze,2009-02-14,2011-02-06,2014-05-31,2016-02-29
        7,Wheezy,wheezy,2011-02-06,2013-05-04,2016-04-25,2018-05-31,2020-06-30
        8,Jessie,jessie,2013-05-04,2015-04-26,2018-06-17,2020-06-30,2025-06-30
        9,Stretch,stretch,2015-04-26,2017-06-17,2020-07-18,2022-06-30,2027-06-30
        10,Buster,buster,2017-06-17,2019-07-06,2022-09-10,2024-06-30,2029-06-30
        11,Bullseye,bullseye,2019-07-06,2021-08-14,2024-08-14,2026-08-31,2031-06-30
        12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-07-11,2028-06-30,2033-06-30
        13,Trixie,trixie,2023-06-10,2025-08-09,2028-08-09,2030-06-30,2035-06-30
        14,Forky,forky,2025-08-09
        ,Sid,sid,1993-08-16
        ,Experimental,experimental,1993-08-16
        """;

    private static readonly string[] FaqPages =
    [
        "2.1 What is the latest version of Debian? Currently there are three versions of Debian GNU/Linux: release 11, a.k.a. the " +
        "stable distribution or bullseye. This is stable and well tested software, it changes if major security or usability fixes " +
        "are incorporated. The testing distribution, currently called bookworm, is where packages that will be released as the next " +
        "stable are placed. The unstable distribution is the version currently under development; it is updated continuously.",
        "6.2 What are all those names like etch, lenny, etc.? They are just codenames. When a Debian distribution is in the " +
        "development stage, it has no version number but a codename. Currently, stable is a symbolic link to bullseye (i.e. Debian " +
        "GNU/Linux 11) and testing is a symbolic link to bookworm. This means that bullseye is the current stable distribution and " +
        "bookworm is the current testing distribution. Aside bullseye and bookworm, other codenames that have been already used are: " +
        "buzz for release 1.1, rex for release 1.2, bo for releases 1.3.x, hamm for release 2.0, slink for release 2.1.",
        "buster (Debian 10) was Andy's pet dog. bullseye (Debian 11) was Woody's wooden toyhorse. bookworm (Debian 12) was a green " +
        "toy worm with a built-in flashlight who loves reading books. trixie (Debian 13) was a blue plastic triceratops. sid was the " +
        "evil neighbor kid next door who broke all toys.",
        // Pages on other subjects, as the rest of the FAQ is.
        "7.12 How do I put a package on hold? There are three ways of holding back packages, with dpkg, apt or aptitude. With apt, " +
        "you can set a package to hold using apt-mark hold package_name and remove the hold with apt-mark unhold package_name.",
        "11.1 How can I ensure that all programs use the same paper size? Install the libpaper1 package, and it will ask you for a " +
        "system-wide default paper size. This setting will be kept in the file /etc/papersize.",
        "8.3 How can I tell what packages are already installed on a Debian system? To learn the status of all the packages " +
        "installed on a Debian system, execute the command dpkg --list.",
    ];

    [Test]
    public async Task Should_find_a_release_table_row_among_the_top_three_in_the_default_mode()
    {
        await using var harness = await SearchHarness.CreateAsync("Sqlite");
        for (var i = 0; i < FaqPages.Length; i++)
        {
            await harness.AddDocumentAsync("t", $"debian-faq-{i}.txt", [FaqPages[i]]);
        }
        var csv = Encoding.UTF8.GetBytes(DebianCsv);
        var table = await harness.AddPackedAsync("t", "debian.csv", ParserHarness.Pack(await ParserHarness.ParseAsync(csv, "debian.csv")));

        const string question = "When did Debian 11 Bullseye reach its end of life?";
        var hits = await harness.Search.SearchAsync(new SearchRequest("t", question));

        Assert.That(hits.Take(3).Where(h => h.DocumentId == table).Select(h => h.Content), Has.Some.Contains("11 | Bullseye"),
            string.Join("\n", hits.Select(h => h.Content[..Math.Min(60, h.Content.Length)])));
    }
}
