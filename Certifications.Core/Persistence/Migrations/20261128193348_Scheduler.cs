using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certifications.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Scheduler : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "NextTransitionAt",
                table: "Assignments",
                type: "TEXT",
                nullable: true);

            // Existing assignments have never had their next transition computed: each is due from the instant its
            // status last changed, so the first sweep evaluates every one of them and records, at its own instant, every
            // transition the clock made since.
            migrationBuilder.Sql("UPDATE \"Assignments\" SET \"NextTransitionAt\" = \"StatusChangedAt\";");

            migrationBuilder.CreateTable(
                name: "SweepRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AssignmentsEvaluated = table.Column<int>(type: "INTEGER", nullable: false),
                    AssignmentsChanged = table.Column<int>(type: "INTEGER", nullable: false),
                    Started = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiringSoon = table.Column<int>(type: "INTEGER", nullable: false),
                    RenewalDue = table.Column<int>(type: "INTEGER", nullable: false),
                    Overdue = table.Column<int>(type: "INTEGER", nullable: false),
                    Expired = table.Column<int>(type: "INTEGER", nullable: false),
                    Other = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SweepRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentTransitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AssignmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EffectiveAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RunId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentTransitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentTransitions_Assignments_AssignmentId",
                        column: x => x.AssignmentId,
                        principalTable: "Assignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AssignmentTransitions_SweepRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "SweepRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_NextTransitionAt",
                table: "Assignments",
                column: "NextTransitionAt");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentTransitions_AssignmentId_EffectiveAt",
                table: "AssignmentTransitions",
                columns: new[] { "AssignmentId", "EffectiveAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentTransitions_RunId",
                table: "AssignmentTransitions",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_SweepRuns_StartedAt",
                table: "SweepRuns",
                column: "StartedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssignmentTransitions");

            migrationBuilder.DropTable(
                name: "SweepRuns");

            migrationBuilder.DropIndex(
                name: "IX_Assignments_NextTransitionAt",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "NextTransitionAt",
                table: "Assignments");
        }
    }
}
