package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.upgradegate.testsupport.Http;

/**
 * The shop webapps the browser tests of the install wizard start from, whatever the database: {@code /shop} and
 * {@code /broken} one release behind, {@code /broken}'s release 2.0.0 carrying a changeset that fails, and
 * {@code /fresh}, release 2.0.0 on an empty database.
 */
final class WizardShops {

    /** The changeset {@link #withFailingChangeset} adds. */
    static final String FAILING = "2.0.0-add-archive-weight";

    private WizardShops() {
    }

    /** Release 1.0.0 through the Bearer API, then undeployed: the webapp starts one release behind. */
    static void installRelease1(EmbeddedTomcat tomcat, String token, String app, String jdbcUrl) throws Exception {
        tomcat.deploy(app, "shop-1.0.0.war", jdbcUrl);
        assertEquals(202, tomcat.http.upgrade(app, token).statusCode());
        tomcat.http.await(app + "/install/status", 60, Http.state("UP"));
        tomcat.undeploy(app);
    }

    /** Release 2.0.0 unpacked into {@code dir}, {@link #FAILING} running {@code sql} before changeset {@code before}. */
    static Path withFailingChangeset(Path dir, String before, String sql) throws IOException {
        Path release2 = explode("shop-2.0.0.war", dir);
        Path changelog = release2.resolve("WEB-INF/classes/db/changelog/2.0.0.xml");
        Files.writeString(changelog, Files.readString(changelog).replace("  <changeSet id=\"" + before + "\"",
                "  <changeSet id=\"" + FAILING + "\" author=\"shop\">\n"
                        + "    <sql>" + sql + "</sql>\n  </changeSet>\n\n"
                        + "  <changeSet id=\"" + before + "\""));
        return release2;
    }

    /** Until {@code /shop} and {@code /broken} are UPGRADE_REQUIRED and {@code /fresh} is NOT_INSTALLED. */
    static void awaitDeployed(Http http) {
        http.await("/shop/install/status", 60, Http.state("UPGRADE_REQUIRED"));
        http.await("/broken/install/status", 60, Http.state("UPGRADE_REQUIRED"));
        http.await("/fresh/install/status", 60, Http.state("NOT_INSTALLED"));
    }

    /** The one backup file of {@code app} in the backup folder {@code backups}. */
    static Path onlyBackup(Path backups, String app) throws IOException {
        try (Stream<Path> files = Files.list(backups.resolve(app))) {
            List<Path> all = files.collect(Collectors.toList());
            assertEquals(1, all.size(), all.toString());
            return all.get(0).toAbsolutePath();
        }
    }

    /** A WAR unpacked into a directory, to be changed (a licence, a broken changeset) and deployed as is. */
    static Path explode(String war, Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(EmbeddedTomcat.WARS.resolve(war));
             ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry outside the bundle: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        return dir;
    }
}
