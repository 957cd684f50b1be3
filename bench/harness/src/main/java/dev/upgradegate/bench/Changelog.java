package dev.upgradegate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Generates Liquibase XML changelogs of a mix of what real releases carry (create table, add column, create
 * index, insert, raw SQL update), in groups of five on one table each: {@link #write} one file of exactly
 * {@code n} changesets, the last one a tagDatabase (benchmark 5); {@link #writeIncluded} a master changelog
 * that includes {@code files} files of {@code perFile} changesets each, untagged (benchmark 7).
 */
final class Changelog {

    private static final String HEADER = """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog
                xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                                    http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
            """;

    private Changelog() {
    }

    static void write(Path file, int n) throws IOException {
        StringBuilder xml = new StringBuilder(HEADER);
        for (int i = 0; i < n - 1; i++) {
            changeSet(xml, Integer.toString(i + 1), i, "bench_t", i / 5);
        }
        xml.append("  <changeSet id=\"").append(n).append("\" author=\"bench\">\n")
                .append("    <tagDatabase tag=\"9.9.9\"/>\n  </changeSet>\n</databaseChangeLog>\n");
        Files.createDirectories(file.getParent());
        Files.writeString(file, xml, StandardCharsets.UTF_8);
    }

    /**
     * A master changelog at {@code root/master} that includes {@code files} files (beside it, under
     * {@code parts/}) of {@code perFile} changesets each, as a long-lived application accumulates them: one
     * file per release, no tag anywhere.
     */
    static void writeIncluded(Path root, String master, int files, int perFile) throws IOException {
        Path masterFile = root.resolve(master);
        String folder = master.contains("/") ? master.substring(0, master.lastIndexOf('/') + 1) : "";
        StringBuilder index = new StringBuilder(HEADER);
        for (int f = 1; f <= files; f++) {
            String name = String.format(Locale.ROOT, "parts/release-%03d.xml", f);
            index.append("  <include file=\"").append(folder).append(name).append("\"/>\n");
            StringBuilder xml = new StringBuilder(HEADER);
            for (int i = 0; i < perFile; i++) {
                changeSet(xml, String.format(Locale.ROOT, "r%03d-%04d", f, i + 1), i, "rel" + f + "_t", i / 5);
            }
            xml.append("</databaseChangeLog>\n");
            Path file = masterFile.resolveSibling(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, xml, StandardCharsets.UTF_8);
        }
        index.append("</databaseChangeLog>\n");
        Files.createDirectories(masterFile.getParent());
        Files.writeString(masterFile, index, StandardCharsets.UTF_8);
    }

    /** Changeset {@code id}, the {@code i}-th of its file, on table {@code prefix + table}. */
    private static void changeSet(StringBuilder xml, String id, int i, String prefix, int table) {
        String t = prefix + table;
        xml.append("  <changeSet id=\"").append(id).append("\" author=\"bench\">\n");
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
}
