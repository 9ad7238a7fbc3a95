using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certifications.Core.Persistence.Migrations
{
    /// <summary>
    /// An assignment's next transition as its ticks (an 8-byte integer) instead of text, and the stored instants
    /// converted exactly, to the 100 nanoseconds: the text is "yyyy-MM-dd HH:mm:ss" with up to seven decimals.
    /// </summary>
    public partial class NextTransitionAsTicks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "NextTransitionAt",
                table: "Assignments",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(DateTime),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.Sql(
                """
                UPDATE "Assignments"
                SET "NextTransitionAt" = unixepoch(substr("NextTransitionAt", 1, 19)) * 10000000
                    + CAST(substr(substr("NextTransitionAt", 21) || '0000000', 1, 7) AS INTEGER) + 621355968000000000
                WHERE typeof("NextTransitionAt") = 'text';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                UPDATE "Assignments"
                SET "NextTransitionAt" = strftime('%Y-%m-%d %H:%M:%S', ("NextTransitionAt" - 621355968000000000) / 10000000, 'unixepoch')
                    || CASE WHEN "NextTransitionAt" % 10000000 = 0 THEN '' ELSE '.' || rtrim(printf('%07d', "NextTransitionAt" % 10000000), '0') END
                WHERE typeof("NextTransitionAt") = 'integer';
                """);

            migrationBuilder.AlterColumn<DateTime>(
                name: "NextTransitionAt",
                table: "Assignments",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
