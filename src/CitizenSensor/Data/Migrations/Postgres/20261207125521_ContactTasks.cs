using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContactTasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "DeclarationId",
                table: "FollowUpTasks",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "ContactCheckInId",
                table: "FollowUpTasks",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<byte>(
                name: "Generation",
                table: "FollowUpTasks",
                type: "smallint",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "QuarantineFrom",
                table: "FollowUpTasks",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "QuarantineUntil",
                table: "FollowUpTasks",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FollowUpId",
                table: "Exposures",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QuarantineDays",
                table: "ExposureRuleVersions",
                type: "integer",
                nullable: false,
                defaultValue: 14);

            migrationBuilder.AddColumn<int>(
                name: "SecondQuarantineDays",
                table: "ExposureRuleVersions",
                type: "integer",
                nullable: false,
                defaultValue: 7);

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_FollowUpId",
                table: "Exposures",
                column: "FollowUpId");

            migrationBuilder.AddForeignKey(
                name: "FK_Exposures_FollowUpTasks_FollowUpId",
                table: "Exposures",
                column: "FollowUpId",
                principalTable: "FollowUpTasks",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Exposures_FollowUpTasks_FollowUpId",
                table: "Exposures");

            migrationBuilder.DropIndex(
                name: "IX_Exposures_FollowUpId",
                table: "Exposures");

            migrationBuilder.DropColumn(
                name: "ContactCheckInId",
                table: "FollowUpTasks");

            migrationBuilder.DropColumn(
                name: "Generation",
                table: "FollowUpTasks");

            migrationBuilder.DropColumn(
                name: "QuarantineFrom",
                table: "FollowUpTasks");

            migrationBuilder.DropColumn(
                name: "QuarantineUntil",
                table: "FollowUpTasks");

            migrationBuilder.DropColumn(
                name: "FollowUpId",
                table: "Exposures");

            migrationBuilder.DropColumn(
                name: "QuarantineDays",
                table: "ExposureRuleVersions");

            migrationBuilder.DropColumn(
                name: "SecondQuarantineDays",
                table: "ExposureRuleVersions");

            migrationBuilder.AlterColumn<long>(
                name: "DeclarationId",
                table: "FollowUpTasks",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }
    }
}
