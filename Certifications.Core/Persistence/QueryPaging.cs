using System.Linq.Expressions;
using Certifications.Core.Certifications;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Persistence;

internal static class QueryPaging
{
    /// <summary>One page of an ordered query, projected in the database, with the total count.</summary>
    public static async Task<Page<TResult>> ToPageAsync<TSource, TResult>(
        this IOrderedQueryable<TSource> ordered,
        int page,
        int pageSize,
        int maxPageSize,
        Expression<Func<TSource, TResult>> select,
        CancellationToken ct)
    {
        page = Math.Max(0, page);
        pageSize = Math.Clamp(pageSize, 1, maxPageSize);
        var skip = page * pageSize;
        var items = await ordered.Skip(skip).Take(pageSize).Select(select).ToListAsync(ct);

        // Counting scans every match again. A page that is not full and not past the end is the last one and gives
        // the total by itself, so a search that matches less than a page (or nothing) costs one scan, not two.
        var total = items.Count < pageSize && (items.Count > 0 || skip == 0)
            ? skip + items.Count
            : await ordered.CountAsync(ct);
        return new Page<TResult>(items, total, page, pageSize);
    }
}

/// <summary>Text typed into a search box, as a LIKE pattern in which % and _ are plain characters.</summary>
internal static class SearchPattern
{
    public const string Escape = "\\";

    /// <summary>
    /// Whether the text matches the pattern (from <see cref="Contains"/>), the case of ASCII letters ignored and every
    /// other character compared as it is, on every database: SQLite's LIKE does exactly that; PostgreSQL's is
    /// case-sensitive, so there both sides are lower-cased in the C collation, which lowers ASCII letters only, whatever
    /// the server's locale. Translated to SQL by the context (<see cref="CertificationsDbContext"/>); queries only.
    /// </summary>
    public static bool Matches(string? text, string pattern) =>
        throw new InvalidOperationException($"{nameof(Matches)} is translated to SQL; it runs in queries only.");

    public static string? Contains(string? text) => string.IsNullOrWhiteSpace(text)
        ? null
        : "%" + text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
