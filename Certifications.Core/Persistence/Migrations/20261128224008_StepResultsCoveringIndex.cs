using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certifications.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StepResultsCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_StepResults_LearnerId_StepId_CompletedAt",
                table: "StepResults");

            migrationBuilder.CreateIndex(
                name: "IX_StepResults_LearnerId_StepId_CompletedAt_Score",
                table: "StepResults",
                columns: new[] { "LearnerId", "StepId", "CompletedAt", "Score" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_StepResults_LearnerId_StepId_CompletedAt_Score",
                table: "StepResults");

            migrationBuilder.CreateIndex(
                name: "IX_StepResults_LearnerId_StepId_CompletedAt",
                table: "StepResults",
                columns: new[] { "LearnerId", "StepId", "CompletedAt" });
        }
    }
}
