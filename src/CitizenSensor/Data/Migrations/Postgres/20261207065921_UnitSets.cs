using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UnitSets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "GsoCode",
                table: "Units",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SetId",
                table: "Units",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "UnitSets",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    ValidTo = table.Column<DateOnly>(type: "date", nullable: true),
                    Source = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    HandlingDepth = table.Column<int>(type: "integer", nullable: false),
                    KeySuffix = table.Column<string>(type: "character varying(17)", maxLength: 17, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnitSets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UnitSuccessions",
                columns: table => new
                {
                    FromKey = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ToKey = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Whole = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnitSuccessions", x => new { x.FromKey, x.ToKey });
                });

            // The units already stored are the 2021 set's (ADR 0011): their keys stay their codes, so no record changes.
            migrationBuilder.Sql("""
                INSERT INTO "UnitSets" ("Id", "Name", "ValidFrom", "ValidTo", "Source", "HandlingDepth", "KeySuffix")
                VALUES ('2021', 'Đơn vị hành chính 2021 (tỉnh, huyện, xã)', NULL, '2025-06-30',
                        'General Statistics Office; gis.chinhphu.vn; via daohoangson/dvhcvn (GPL-3.0)',
                        COALESCE((SELECT MAX("Level") FROM "Units" WHERE "Boundary" IS NOT NULL AND "Level" > 1), 2), '');
                UPDATE "Units" SET "GsoCode" = "Code", "SetId" = '2021';
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Units_SetId_GsoCode",
                table: "Units",
                columns: new[] { "SetId", "GsoCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UnitSuccessions_ToKey",
                table: "UnitSuccessions",
                column: "ToKey");

            migrationBuilder.AddForeignKey(
                name: "FK_Units_UnitSets_SetId",
                table: "Units",
                column: "SetId",
                principalTable: "UnitSets",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Units_UnitSets_SetId",
                table: "Units");

            migrationBuilder.DropTable(
                name: "UnitSets");

            migrationBuilder.DropTable(
                name: "UnitSuccessions");

            migrationBuilder.DropIndex(
                name: "IX_Units_SetId_GsoCode",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "GsoCode",
                table: "Units");

            migrationBuilder.DropColumn(
                name: "SetId",
                table: "Units");
        }
    }
}
