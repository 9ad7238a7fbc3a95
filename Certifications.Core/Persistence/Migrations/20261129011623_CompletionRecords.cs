using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Certifications.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CompletionRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CompletionRecordId",
                table: "Periods",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Periods",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Results");

            migrationBuilder.AddColumn<DateOnly>(
                name: "DueDateOverride",
                table: "Assignments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DueDateReason",
                table: "Assignments",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DueDateSetBy",
                table: "Assignments",
                type: "TEXT",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExemptBy",
                table: "Assignments",
                type: "TEXT",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExemptReason",
                table: "Assignments",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExemptSince",
                table: "Assignments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExemptUntil",
                table: "Assignments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CompletionRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LearnerId = table.Column<int>(type: "INTEGER", nullable: false),
                    CertificationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Evidence = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    EvidenceFileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    EvidenceContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    EvidenceFile = table.Column<byte[]>(type: "BLOB", nullable: true),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RevokedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    RevokedReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CompletionRecords", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CompletionRecords_Certifications_CertificationId",
                        column: x => x.CertificationId,
                        principalTable: "Certifications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CompletionRecords_Learners_LearnerId",
                        column: x => x.LearnerId,
                        principalTable: "Learners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Periods_CompletionRecordId",
                table: "Periods",
                column: "CompletionRecordId");

            migrationBuilder.CreateIndex(
                name: "IX_CompletionRecords_CertificationId",
                table: "CompletionRecords",
                column: "CertificationId");

            migrationBuilder.CreateIndex(
                name: "IX_CompletionRecords_LearnerId_CertificationId_CompletedAt",
                table: "CompletionRecords",
                columns: new[] { "LearnerId", "CertificationId", "CompletedAt" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Periods_CompletionRecords_CompletionRecordId",
                table: "Periods",
                column: "CompletionRecordId",
                principalTable: "CompletionRecords",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Periods_CompletionRecords_CompletionRecordId",
                table: "Periods");

            migrationBuilder.DropTable(
                name: "CompletionRecords");

            migrationBuilder.DropIndex(
                name: "IX_Periods_CompletionRecordId",
                table: "Periods");

            migrationBuilder.DropColumn(
                name: "CompletionRecordId",
                table: "Periods");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "Periods");

            migrationBuilder.DropColumn(
                name: "DueDateOverride",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "DueDateReason",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "DueDateSetBy",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "ExemptBy",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "ExemptReason",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "ExemptSince",
                table: "Assignments");

            migrationBuilder.DropColumn(
                name: "ExemptUntil",
                table: "Assignments");
        }
    }
}
