package dev.upgradegate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Generates {@code n} Flyway SQL migrations, {@code V1__…sql} to {@code Vn__…sql}, in one folder: the same
 * mix as {@link Changelog} (create table, add column, create index, insert, update), in groups of five on one
 * table each, as plain MySQL/MariaDB SQL (benchmark 5, Flyway).
 */
final class FlywayScripts {

    private FlywayScripts() {
    }

    static void write(Path folder, int n) throws IOException {
        Files.createDirectories(folder);
        for (int v = 1; v <= n; v++) {
            int i = v - 1;
            int table = i / 5;
            String t = "fw_t" + table;
            String description;
            String sql;
            switch (i % 5) {
                case 0 -> {
                    description = "create_" + t;
                    sql = "CREATE TABLE " + t + " (\n  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
                            + "  name VARCHAR(100) NOT NULL,\n  amount DECIMAL(10,2)\n);\n";
                }
                case 1 -> {
                    description = "add_code_to_" + t;
                    sql = "ALTER TABLE " + t + " ADD COLUMN code VARCHAR(32);\n";
                }
                case 2 -> {
                    description = "index_" + t + "_code";
                    sql = "CREATE INDEX ix_" + t + "_code ON " + t + " (code);\n";
                }
                case 3 -> {
                    description = "rows_of_" + t;
                    sql = String.format(Locale.ROOT, "INSERT INTO %s (name, amount, code) VALUES\n"
                            + "  ('row of %s', %d.50, 'C%d'),\n  ('second row of %s', %d.75, 'D%d');\n",
                            t, t, table, table, t, table, table);
                }
                default -> {
                    description = "reprice_" + t;
                    sql = "UPDATE " + t + " SET amount = amount + 1;\n";
                }
            }
            Files.writeString(folder.resolve("V" + v + "__" + description + ".sql"), sql, StandardCharsets.UTF_8);
        }
    }
}
