package dev.upgradegate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates a Liquibase XML changelog of exactly {@code n} changesets, the last one a tagDatabase: a mix of
 * what real releases carry (create table, add column, create index, insert, raw SQL update), in groups of
 * five on one table each.
 */
final class Changelog {

    private Changelog() {
    }

    static void write(Path file, int n) throws IOException {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog
                    xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                """);
        for (int i = 0; i < n - 1; i++) {
            int table = i / 5;
            String t = "bench_t" + table;
            xml.append("  <changeSet id=\"").append(i + 1).append("\" author=\"bench\">\n");
            switch (i % 5) {
                case 0 -> xml.append("    <createTable tableName=\"").append(t).append("\">\n")
                        .append("      <column name=\"id\" type=\"BIGINT\" autoIncrement=\"true\">\n")
                        .append("        <constraints primaryKey=\"true\" nullable=\"false\"/>\n")
                        .append("      </column>\n")
                        .append("      <column name=\"name\" type=\"VARCHAR(100)\"><constraints nullable=\"false\"/></column>\n")
                        .append("      <column name=\"amount\" type=\"DECIMAL(10,2)\"/>\n")
                        .append("    </createTable>\n");
                case 1 -> xml.append("    <addColumn tableName=\"").append(t).append("\">\n")
                        .append("      <column name=\"code\" type=\"VARCHAR(32)\"/>\n")
                        .append("    </addColumn>\n");
                case 2 -> xml.append("    <createIndex tableName=\"").append(t).append("\" indexName=\"ix_")
                        .append(t).append("_code\">\n")
                        .append("      <column name=\"code\"/>\n")
                        .append("    </createIndex>\n");
                case 3 -> xml.append("    <insert tableName=\"").append(t).append("\">\n")
                        .append("      <column name=\"name\" value=\"row of ").append(t).append("\"/>\n")
                        .append("      <column name=\"amount\" valueNumeric=\"").append(table).append(".50\"/>\n")
                        .append("      <column name=\"code\" value=\"C").append(table).append("\"/>\n")
                        .append("    </insert>\n");
                default -> xml.append("    <sql>UPDATE ").append(t).append(" SET amount = amount + 1</sql>\n");
            }
            xml.append("  </changeSet>\n");
        }
        xml.append("  <changeSet id=\"").append(n).append("\" author=\"bench\">\n")
                .append("    <tagDatabase tag=\"9.9.9\"/>\n  </changeSet>\n</databaseChangeLog>\n");
        Files.createDirectories(file.getParent());
        Files.writeString(file, xml, StandardCharsets.UTF_8);
    }
}
