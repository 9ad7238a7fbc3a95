using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Certifications.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class CompletionRecordsAndDataProtectionKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CompletionRecordId",
                table: "Periods",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Periods",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Results");

            migrationBuilder.AddColumn<DateOnly>(
                name: "DueDateOverride",
                table: "Assignments",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DueDateReason",
                table: "Assignments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DueDateSetBy",
                table: "Assignments",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExemptBy",
                table: "Assignments",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExemptReason",
                table: "Assignments",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExemptSince",
                table: "Assignments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExemptUntil",
                table: "Assignments",
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CompletionRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LearnerId = table.Column<int>(type: "integer", nullable: false),
                    CertificationId = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Evidence = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    EvidenceFileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    EvidenceContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    EvidenceFile = table.Column<byte[]>(type: "bytea", nullable: true),
                    RecordedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RevokedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    RevokedReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
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

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
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

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

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
