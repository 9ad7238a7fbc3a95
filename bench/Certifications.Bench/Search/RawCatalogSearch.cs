using System.Text.Json;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Search;

/// <summary>
/// The wizard's two searches written by hand on Microsoft.Data.Sqlite: the same filter, count, page, step counts and
/// missing courses as <see cref="CatalogSearch"/>, in as many statements as the database needs (the page with the
/// missing courses joined in, then a count unless the page gave the total, as Core does). The yardstick ours is
/// measured against.
/// </summary>
internal sealed class RawCatalogSearch(string connectionString)
{
    public const string CourseCount = """
        SELECT COUNT(*) FROM "Courses" AS c
        WHERE c."IsPublished" AND NOT c."IsTrigger" AND c."Title" LIKE $pattern ESCAPE '\';
        """;

    public const string CoursePage = """
        SELECT c."Id", c."Title",
            (SELECT COUNT(*) FROM "Steps" AS s WHERE s."CourseId" = c."Id"),
            (SELECT COUNT(*) FROM "Steps" AS s WHERE s."CourseId" = c."Id" AND s."IsGraded")
        FROM "Courses" AS c
        WHERE c."IsPublished" AND NOT c."IsTrigger" AND c."Title" LIKE $pattern ESCAPE '\'
        ORDER BY c."Title"
        LIMIT $take OFFSET $skip;
        """;

    public const string GroupCount = """
        SELECT COUNT(*) FROM "Groups" AS g WHERE g."Name" LIKE $pattern ESCAPE '\';
        """;

    public const string GroupPage = """
        WITH page AS (
            SELECT g."Id", g."Name", (SELECT COUNT(*) FROM "GroupMembers" AS m WHERE m."GroupId" = g."Id") AS "Members"
            FROM "Groups" AS g
            WHERE g."Name" LIKE $pattern ESCAPE '\'
            ORDER BY g."Name"
            LIMIT $take OFFSET $skip)
        SELECT p."Id", p."Name", p."Members", c."Title"
        FROM page AS p
        LEFT JOIN "Courses" AS c ON c."Id" IN (SELECT value FROM json_each($courseIds))
            AND NOT EXISTS (SELECT 1 FROM "GroupCourses" AS gc WHERE gc."GroupId" = p."Id" AND gc."CourseId" = c."Id")
        ORDER BY p."Name", c."Title";
        """;

    /// <summary>The parameters the statements above take, for running one of them alone.</summary>
    public static IReadOnlyList<(string Name, object Value)> Parameters(string text, IReadOnlyCollection<int> includedCourseIds, int page, int pageSize) =>
    [
        ("$pattern", SearchPattern.Contains(text)
            ?? throw new ArgumentException("The benchmark searches with text; an empty search box is not measured.", nameof(text))),
        ("$take", pageSize),
        ("$skip", page * pageSize),
        ("$courseIds", JsonSerializer.Serialize(includedCourseIds.Distinct())),
    ];

    public async Task<Page<CourseOption>> SearchCoursesAsync(string text, int page, int pageSize, CancellationToken ct = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        var items = new List<CourseOption>(pageSize);
        await using (var command = Command(connection, CoursePage, text, [], page, pageSize))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                items.Add(new CourseOption(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
            }
        }

        return new Page<CourseOption>(items, await TotalAsync(connection, CourseCount, text, [], page, pageSize, items.Count, ct), page, pageSize);
    }

    public async Task<Page<GroupOption>> SearchGroupsAsync(string text, IReadOnlyCollection<int> includedCourseIds, int page, int pageSize, CancellationToken ct = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        var items = new List<GroupOption>(pageSize);
        await using (var command = Command(connection, GroupPage, text, includedCourseIds, page, pageSize))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            List<string>? missing = null;
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt32(0);
                if (items.Count == 0 || items[^1].Id != id)
                {
                    missing = [];
                    items.Add(new GroupOption(id, reader.GetString(1), reader.GetInt32(2), missing));
                }

                if (!reader.IsDBNull(3))
                {
                    missing!.Add(reader.GetString(3));
                }
            }
        }

        return new Page<GroupOption>(items, await TotalAsync(connection, GroupCount, text, includedCourseIds, page, pageSize, items.Count, ct), page, pageSize);
    }

    /// <summary>As ours: a page neither full nor past the end is the last one and gives the total; otherwise count.</summary>
    private static async Task<int> TotalAsync(
        SqliteConnection connection, string sql, string text, IReadOnlyCollection<int> includedCourseIds, int page, int pageSize, int onPage, CancellationToken ct)
    {
        if (onPage < pageSize && (onPage > 0 || page == 0))
        {
            return page * pageSize + onPage;
        }

        await using var command = Command(connection, sql, text, includedCourseIds, page, pageSize);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string text, IReadOnlyCollection<int> includedCourseIds, int page, int pageSize)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in Parameters(text, includedCourseIds, page, pageSize))
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
