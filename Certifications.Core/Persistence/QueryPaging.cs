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
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip(page * pageSize).Take(pageSize).Select(select).ToListAsync(ct);
        return new Page<TResult>(items, total, page, pageSize);
    }
}

/// <summary>Text typed into a search box, as a LIKE pattern in which % and _ are plain characters.</summary>
internal static class SearchPattern
{
    public const string Escape = "\\";

    public static string? Contains(string? text) => string.IsNullOrWhiteSpace(text)
        ? null
        : "%" + text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
