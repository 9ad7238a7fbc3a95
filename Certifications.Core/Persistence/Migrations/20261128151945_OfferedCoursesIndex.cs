using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certifications.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OfferedCoursesIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Courses_Offered",
                table: "Courses",
                columns: new[] { "Title", "IsPublished", "IsTrigger" },
                filter: "\"IsPublished\" AND NOT \"IsTrigger\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Courses_Offered",
                table: "Courses");
        }
    }
}
