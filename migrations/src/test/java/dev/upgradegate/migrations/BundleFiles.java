package dev.upgradegate.migrations;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A webapp's class path folder written by a test: its changelogs or migration scripts, as the bundle carries them. */
final class BundleFiles {

    private final Path root;

    BundleFiles(Path root) {
        this.root = root;
    }

    BundleFiles write(String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return this;
    }

    BundleFiles delete(String path) throws IOException {
        Files.delete(root.resolve(path));
        return this;
    }

    /** A class loader that sees exactly these files, as the webapp's own would. */
    ClassLoader loader() throws IOException {
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    }

    /** A Liquibase changelog of {@code changeSets} (XML elements). */
    static String changelog(String... changeSets) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\"\n"
                + "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                + "    xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
                + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n"
                + String.join("\n", changeSets) + "\n</databaseChangeLog>\n";
    }

    /** A changeset that runs {@code sql}; {@code attributes} such as {@code context="test"} go on the element. */
    static String sql(String id, String attributes, String sql) {
        return "  <changeSet id=\"" + id + "\" author=\"dev\" " + attributes + "><sql>" + sql + "</sql></changeSet>";
    }

    static String tag(String tag) {
        return "  <changeSet id=\"tag-" + tag + "\" author=\"dev\"><tagDatabase tag=\"" + tag + "\"/></changeSet>";
    }

    static String include(String file) {
        return "  <include file=\"" + file + "\" relativeToChangelogFile=\"true\"/>";
    }
}
