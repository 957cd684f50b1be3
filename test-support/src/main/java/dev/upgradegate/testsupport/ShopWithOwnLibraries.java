package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The shop as a webapp that bundles its own Liquibase (another version than UpgradeGate's) and its own Byte Buddy,
 * with a page, {@code libraries.jsp}, that uses both and names the one class of UpgradeGate it can see: what a
 * webapp keeps when UpgradeGate sits in the container's lib/ or in an agent.
 */
public final class ShopWithOwnLibraries {

    private ShopWithOwnLibraries() {
    }

    /**
     * Copies {@code shopWar} (javax or jakarta) into {@code into} as {@code shop.war}, with {@code liquibaseJar} and
     * {@code byteBuddyJar} in its WEB-INF/lib and the page that uses them.
     */
    public static Path war(Path shopWar, Path liquibaseJar, Path byteBuddyJar, Path into) throws IOException {
        Path target = into.resolve("shop.war");
        try (ZipFile source = new ZipFile(shopWar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry : Collections.list(source.entries())) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = source.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            for (Path jar : List.of(liquibaseJar, byteBuddyJar)) {
                out.putNextEntry(new ZipEntry("WEB-INF/lib/" + jar.getFileName()));
                Files.copy(jar, out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("libraries.jsp"));
            out.write(String.join("\n",
                    "<%@ page contentType=\"text/plain\" %>",
                    "liquibase=<%= liquibase.util.LiquibaseUtil.getBuildVersion() %>",
                    "liquibaseLoader=<%= liquibase.util.LiquibaseUtil.class.getClassLoader().getClass().getSimpleName() %>",
                    "bytebuddy=<%= new net.bytebuddy.ByteBuddy().subclass(Object.class).name(\"shop.Made\").make()"
                            + ".load(getClass().getClassLoader()).getLoaded().getName() %>",
                    "bytebuddyVersion=<%= net.bytebuddy.ByteBuddy.class.getPackage().getImplementationVersion() %>",
                    "<% String seen = \"none\"; for (String name : new String[] {\"dev.upgradegate.gate.Gatekeeper\","
                            + " \"dev.upgradegate.shaded.bytebuddy.ByteBuddy\", \"dev.upgradegate.agent.core.AgentCore\"}) {"
                            + " try { Class.forName(name); seen = name; } catch (ClassNotFoundException e) { } } %>",
                    "upgradegateVisible=<%= seen %>", "").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return target;
    }

    /**
     * The page answers with the webapp's own Liquibase ({@code liquibaseVersion}, from its own class loader) and a
     * class made by its own Byte Buddy. A valve jar in lib/ is visible to webapps by design, its libraries
     * relocated ({@code upgradeGateInLib}); an agent shows them nothing.
     */
    public static void assertStillWork(Http http, String liquibaseVersion, boolean upgradeGateInLib) {
        HttpResponse<String> libraries = http.get("/shop/libraries.jsp");
        assertEquals(200, libraries.statusCode(), libraries.body());
        assertTrue(libraries.body().contains("liquibase=" + liquibaseVersion), libraries.body());
        assertTrue(libraries.body().contains("liquibaseLoader=ParallelWebappClassLoader"), libraries.body());
        assertTrue(libraries.body().contains("bytebuddy=shop.Made"), libraries.body());
        assertTrue(libraries.body().contains(upgradeGateInLib ? "upgradegateVisible=dev.upgradegate.gate.Gatekeeper"
                : "upgradegateVisible=none"), libraries.body());
    }
}
