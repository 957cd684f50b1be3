package dev.upgradegate.tomcat;

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
 * A webapp bundle written on the fly, laid out like the shop's: META-INF/MANIFEST.MF with its
 * Implementation-Version, META-INF/context.xml declaring {@code jdbc/ShopDB} from the {@code shop.db.*}
 * system properties, a changelog under WEB-INF/classes/db/changelog/, and a static page carrying
 * {@link #CONTENT} so that a test can tell the webapp's own answer from the gate's.
 */
final class TestBundle {

    /** Only the webapp's own page holds this; seeing it while the gate is closed means a bypass. */
    static final String CONTENT = "served-by-the-webapp-itself";

    private static final String CONTEXT_XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Context>\n"
            + "  <Resource name=\"jdbc/ShopDB\" auth=\"Container\" type=\"javax.sql.DataSource\"\n"
            + "            factory=\"org.apache.tomcat.jdbc.pool.DataSourceFactory\"\n"
            + "            driverClassName=\"com.mysql.cj.jdbc.Driver\"\n"
            + "            url=\"${shop.db.url}\" username=\"${shop.db.user}\" password=\"${shop.db.password}\"\n"
            + "            maxActive=\"20\" maxIdle=\"5\" minIdle=\"0\" initialSize=\"0\" maxWait=\"5000\" closeMethod=\"close\"\n"
            + "            validationQuery=\"SELECT 1\" testOnBorrow=\"true\"/>\n</Context>\n";

    private final String version;
    /** Changeset id to its SQL, in order; a {@code null} SQL is a {@code tagDatabase}. */
    private final Map<String, String> changesets = new LinkedHashMap<>();

    TestBundle(String version) {
        this.version = version;
    }

    /** Adds a changeset running {@code sql} (statements split on ';', as Liquibase does). */
    TestBundle sql(String id, String sql) {
        changesets.put(id, sql);
        return this;
    }

    /** Ends a release: the tag that becomes the schema version. */
    TestBundle tag(String tag) {
        changesets.put("tag-" + tag, null);
        return this;
    }

    /** The ids of the changesets, in order. */
    List<String> ids() {
        return new ArrayList<>(changesets.keySet());
    }

    String changelog() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\"\n"
                + "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                + "    xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
                + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n");
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
        return xml.append("</databaseChangeLog>\n").toString();
    }

    /** Writes the bundle as a WAR. */
    Path war(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, String> entry : files().entrySet()) {
                jar.putNextEntry(new ZipEntry(entry.getKey()));
                jar.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return file;
    }

    /** Writes the bundle as an exploded webapp directory: the fastest for Tomcat to deploy. */
    Path directory(Path dir) throws IOException {
        Map<String, String> files = files();
        files.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nImplementation-Version: " + version + "\r\n\r\n");
        for (Map.Entry<String, String> entry : files.entrySet()) {
            Path target = dir.resolve(entry.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, entry.getValue(), StandardCharsets.UTF_8);
        }
        return dir;
    }

    private Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("META-INF/context.xml", CONTEXT_XML);
        files.put("WEB-INF/classes/db/changelog/db.changelog-master.xml", changelog());
        files.put("index.html", "<!DOCTYPE html><title>app " + version + "</title><p>" + CONTENT + "</p>\n");
        return files;
    }
}
