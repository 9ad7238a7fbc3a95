using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certifications.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AssignmentsByLearner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assignments_LearnerId_Status",
                table: "Assignments");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_LearnerId",
                table: "Assignments",
                column: "LearnerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Assignments_LearnerId",
                table: "Assignments");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_LearnerId_Status",
                table: "Assignments",
                columns: new[] { "LearnerId", "Status" });
        }
    }
}
