using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportSearchTrigrams : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The inbox's trigram index (ReportSearch): a stable integer row per report, and a contentless FTS5 table of
            // the folded text's trigrams under that row. Triggers keep both current; the existing reports are indexed here.
            migrationBuilder.Sql("""
                CREATE TABLE "ReportSearchRows" ("Row" INTEGER PRIMARY KEY, "ReportId" TEXT NOT NULL UNIQUE);
                """);
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ReportSearchTrigrams" USING fts5("Text", content='', contentless_delete=1, tokenize='trigram', detail='none');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Reports_SearchTrigrams_Insert" AFTER INSERT ON "Reports" BEGIN
                  INSERT INTO "ReportSearchRows" ("ReportId") VALUES (new."Id");
                  INSERT INTO "ReportSearchTrigrams" (rowid, "Text") SELECT last_insert_rowid(), new."SearchText" WHERE new."SearchText" IS NOT NULL;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Reports_SearchTrigrams_Update" AFTER UPDATE OF "SearchText" ON "Reports" BEGIN
                  DELETE FROM "ReportSearchTrigrams" WHERE rowid = (SELECT "Row" FROM "ReportSearchRows" WHERE "ReportId" = old."Id");
                  INSERT OR IGNORE INTO "ReportSearchRows" ("ReportId") VALUES (new."Id");
                  INSERT INTO "ReportSearchTrigrams" (rowid, "Text")
                    SELECT "Row", new."SearchText" FROM "ReportSearchRows" WHERE "ReportId" = new."Id" AND new."SearchText" IS NOT NULL;
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Reports_SearchTrigrams_Delete" AFTER DELETE ON "Reports" BEGIN
                  DELETE FROM "ReportSearchTrigrams" WHERE rowid = (SELECT "Row" FROM "ReportSearchRows" WHERE "ReportId" = old."Id");
                  DELETE FROM "ReportSearchRows" WHERE "ReportId" = old."Id";
                END;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ReportSearchRows" ("ReportId") SELECT "Id" FROM "Reports";
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ReportSearchTrigrams" (rowid, "Text")
                  SELECT s."Row", r."SearchText" FROM "ReportSearchRows" s JOIN "Reports" r ON r."Id" = s."ReportId" WHERE r."SearchText" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Reports_SearchTrigrams_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER "Reports_SearchTrigrams_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER "Reports_SearchTrigrams_Insert";""");
            migrationBuilder.Sql("""DROP TABLE "ReportSearchTrigrams";""");
            migrationBuilder.Sql("""DROP TABLE "ReportSearchRows";""");
        }
    }
}
