package dev.upgradegate.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * A webapp bundle written on the fly, laid out as webapps really ship: META-INF/context.xml declaring
 * {@code jdbc/ShopDB} from the {@code <db>.db.*} system properties ({@code shop} unless {@link #database}
 * says otherwise; the driver {@link TestDriver#selected()} unless {@code <db>.db.driver} names another, such as
 * PostgreSQL's), its migrations in WEB-INF/classes (a Liquibase changelog, tagged or not, or Flyway
 * scripts in db/migration), its version in the manifest or only in Maven's pom.properties, jars in
 * WEB-INF/lib, and a static page carrying {@link #CONTENT} so that a test can tell the webapp's own answer
 * from the gate's.
 */
public final class TestBundle {

    /** Only the webapp's own page holds this; seeing it while the gate is closed means a bypass. */
    public static final String CONTENT = "served-by-the-webapp-itself";

    public static final String CHANGELOG = "WEB-INF/classes/db/changelog/db.changelog-master.xml";
    public static final String FLYWAY = "WEB-INF/classes/db/migration/";

    private final String version;
    /** Changeset id to its SQL, in order; a {@code null} SQL is a {@code tagDatabase}. */
    private final Map<String, String> changesets = new LinkedHashMap<>();
    private final Map<String, String> files = new LinkedHashMap<>();
    private final Map<String, Path> libraries = new LinkedHashMap<>();
    private String database = "shop";
    private String mavenCoordinates;

    /** @param version the bundle's version, in its manifest's Implementation-Version (see {@link #mavenBuilt}) */
    public TestBundle(String version) {
        this.version = version;
    }

    /** Adds a Liquibase changeset running {@code sql} (statements split on ';', as Liquibase does). */
    public TestBundle sql(String id, String sql) {
        changesets.put(id, sql);
        return this;
    }

    /** Ends a release: the tag that becomes the schema version. */
    public TestBundle tag(String tag) {
        changesets.put("tag-" + tag, null);
        return this;
    }

    /** Adds a Flyway migration, e.g. {@code flyway("V2__add_price.sql", "ALTER TABLE ...")}. */
    public TestBundle flyway(String script, String sql) {
        files.put(FLYWAY + script, sql);
        return this;
    }

    /** Adds any file of the bundle, at its path from the bundle's root. */
    public TestBundle file(String path, String text) {
        files.put(path, text);
        return this;
    }

    /** Adds a jar to WEB-INF/lib. */
    public TestBundle library(Path jar) {
        libraries.put("WEB-INF/lib/" + jar.getFileName(), jar);
        return this;
    }

    /** The context.xml reads {@code <name>.db.url}, {@code .user} and {@code .password} instead of {@code shop.db.*}. */
    public TestBundle database(String name) {
        database = name;
        return this;
    }

    /**
     * As Maven's war plugin builds it by default: no Implementation-Version in the manifest, only
     * {@code META-INF/maven/<group>/<artifact>/pom.properties} with the version.
     */
    public TestBundle mavenBuilt(String group, String artifact) {
        mavenCoordinates = group + "/" + artifact;
        return this;
    }

    /** The ids of the Liquibase changesets, in order. */
    public List<String> ids() {
        return new ArrayList<>(changesets.keySet());
    }

    public String changelog() {
        StringBuilder xml = new StringBuilder();
        for (Map.Entry<String, String> changeset : changesets.entrySet()) {
            xml.append("  <changeSet id=\"").append(changeset.getKey()).append("\" author=\"reliability\">\n");
            if (changeset.getValue() == null) {
                xml.append("    <tagDatabase tag=\"").append(changeset.getKey().substring(4)).append("\"/>\n");
            } else {
                xml.append("    <sql>").append(changeset.getValue().replace("&", "&amp;").replace("<", "&lt;"))
                        .append("</sql>\n");
            }
            xml.append("  </changeSet>\n");
        }
        return changelog(xml.toString());
    }

    /** A Liquibase changelog of {@code changeSets}, the XML elements as the file would hold them. */
    public static String changelog(String changeSets) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\"\n"
                + "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                + "    xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
                + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n"
                + changeSets + "</databaseChangeLog>\n";
    }

    /** Writes the bundle as a WAR. */
    public Path war(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mavenCoordinates == null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        } else {
            manifest.getMainAttributes().put(new Attributes.Name("Created-By"), "Maven WAR Plugin 3.4.0");
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, String> entry : files().entrySet()) {
                jar.putNextEntry(new ZipEntry(entry.getKey()));
                jar.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
            for (Map.Entry<String, Path> library : libraries.entrySet()) {
                jar.putNextEntry(new ZipEntry(library.getKey()));
                Files.copy(library.getValue(), jar);
                jar.closeEntry();
            }
        }
        return file;
    }

    /** Writes the bundle as an exploded webapp directory: the fastest for Tomcat to deploy. */
    public Path directory(Path dir) throws IOException {
        Map<String, String> all = files();
        all.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n"
                + (mavenCoordinates == null ? "Implementation-Version: " + version + "\r\n" : "") + "\r\n");
        for (Map.Entry<String, String> entry : all.entrySet()) {
            Path target = dir.resolve(entry.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, entry.getValue(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, Path> library : libraries.entrySet()) {
            Path target = dir.resolve(library.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(library.getValue(), target);
        }
        return dir;
    }

    private Map<String, String> files() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("META-INF/context.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Context>\n"
                + "  <Resource name=\"jdbc/ShopDB\" auth=\"Container\" type=\"javax.sql.DataSource\"\n"
                + "            factory=\"org.apache.tomcat.jdbc.pool.DataSourceFactory\"\n"
                + "            driverClassName=\"${" + database + ".db.driver:-" + TestDriver.selected().className()
                + "}\"\n"
                + "            url=\"${" + database + ".db.url}\" username=\"${" + database + ".db.user}\""
                + " password=\"${" + database + ".db.password}\"\n"
                + "            maxActive=\"20\" maxIdle=\"5\" minIdle=\"0\" initialSize=\"0\" maxWait=\"5000\""
                + " closeMethod=\"close\"\n"
                + "            validationQuery=\"SELECT 1\" testOnBorrow=\"true\"/>\n</Context>\n");
        if (!changesets.isEmpty()) {
            all.put(CHANGELOG, changelog());
        }
        if (mavenCoordinates != null) {
            String[] coordinates = mavenCoordinates.split("/");
            all.put("META-INF/maven/" + mavenCoordinates + "/pom.properties", "#Created by Apache Maven 3.8.7\n"
                    + "groupId=" + coordinates[0] + "\nartifactId=" + coordinates[1] + "\nversion=" + version + "\n");
        }
        all.putAll(files);
        all.put("index.html", "<!DOCTYPE html><title>app " + version + "</title><p>" + CONTENT + "</p>\n");
        return all;
    }
}
