package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.migrations.LeftLock;
import dev.upgradegate.migrations.UpgradeLock;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The upgrade lock held by another, live node (a connection of the test's own that took it as an upgrade does), on
 * embedded Tomcat 11 and a real database: a beating owner is refused from the wizard, JMX and the API; once it
 * falls silent it is shown as stale (in the log of a node that meets it, and in the wizard) and JMX releases it,
 * killing its session. And the API's 503 when the
 * database cannot be reached to take the lock. {@code refresh.seconds} is long, so that the cached state holds
 * still while the database goes away; the test asks for checks through JMX's {@code refresh}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLockHolders {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "lock-holders-token-0123456789";
    static final String OWNER = "web-7 (pid 777)";

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    static ObjectName shop;
    static ObjectName down;
    static LogCapture log;
    static Connection holder;

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=300",
                "lock.staleSeconds=60",
                "app.shop.datasource=jdbc/ShopDB",
                "app.down.datasource=jdbc/ShopDB",
                "app.custom.datasource=jdbc/ShopDB",
                "app.custom.liquibase.lockTable=CUSTOM_LOCK",
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB, "Locks");
        http = tomcat.http;
        shop = new ObjectName("Locks:type=UpgradeGate,host=localhost,context=/shop");
        down = new ObjectName("Locks:type=UpgradeGate,host=localhost,context=/down");
        log = new LogCapture();
        TestBundle bundle = new TestBundle("1.0.0").sql("create-item", "CREATE TABLE item (id INT)").tag("1.0.0");
        tomcat.deploy("/shop", bundle.directory(base.resolve("shop")), "shop", DB.jdbcUrl());
        http.await("/shop/install/status", 60, Http.state("NOT_INSTALLED"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (holder != null) {
            holder.close();
        }
        if (tomcat != null) {
            tomcat.close();
        }
        log.close();
    }

    /** The gate publishes a state before it logs the change, so a reader of the state may be first. */
    static void awaitLog(String text) throws InterruptedException {
        for (int i = 0; i < 100 && !log.any(text); i++) {
            Thread.sleep(100);
        }
        assertTrue(log.any(text), "no log line holds " + text + ": " + log.lines());
    }

    static String refresh(ObjectName webapp) throws Exception {
        return (String) mbeans.invoke(webapp, "refresh", null, null);
    }

    @Test
    @Order(1)
    void aLiveOwnerIsRefusedFromTheWizardJmxAndTheApi() throws Exception {
        holder = DB.open();
        assertNotNull(UpgradeLock.tryAcquire(holder, OWNER, LeftLock.NONE, 60));
        assertEquals("UPGRADE_RUNNING", refresh(shop));
        assertTrue(log.any("shop: NOT_INSTALLED -> UPGRADE_RUNNING (upgrade lock held by " + OWNER), log.lines()
                .toString());
        assertFalse(log.any("stale"), log.lines().toString());

        WizardClient admin = new WizardClient(http.base());
        assertEquals(303, admin.signIn("/shop", TOKEN).statusCode());
        assertFalse(admin.get("/shop/install/overview").body().contains("Release the stale lock"),
                "no way to release a live owner's lock is offered");
        HttpResponse<String> wizard = admin.post("/shop/install/unlock", "csrf", admin.csrf);
        assertEquals(409, wizard.statusCode(), wizard.body());
        assertTrue(wizard.body().contains("owner is alive and renewing it"), wizard.body());

        assertEquals("refused: the upgrade holding the lock is alive", mbeans.invoke(shop, "releaseStaleLock", null, null));

        HttpResponse<String> api = http.send("POST", "/shop/install/release-lock", "Authorization", "Bearer " + TOKEN);
        assertEquals(409, api.statusCode(), api.body());

        assertTrue(holder.isValid(5), "the owner's session is untouched");
        try (Connection observer = DB.open()) {
            assertTrue(UpgradeLock.inspect(observer, 60).held(), "the lock is still the owner's");
        }
    }

    @Test
    @Order(2)
    void aSilentLiveHolderIsShownAsStaleAndJmxReleasesIt() throws Exception {
        try (Connection admin = DB.open(); Statement silence = admin.createStatement()) {
            // As a node whose upgrade thread hangs: its connection (and named lock) lives on, its heartbeat stops.
            silence.executeUpdate("UPDATE UPGRADEGATE_LOCK SET HEARTBEAT = NOW(3) - INTERVAL 10 MINUTE WHERE ID = 1");
        }
        assertEquals("UPGRADE_RUNNING", refresh(shop));
        // A node that starts now finds the lock held, and its log says the holder is silent.
        TestBundle bundle = new TestBundle("1.0.0").database("down")
                .sql("create-item", "CREATE TABLE item (id INT)").tag("1.0.0");
        tomcat.deploy("/down", bundle.directory(base.resolve("down")), "down", DB.proxiedJdbcUrl());
        awaitLog("down: START -> UPGRADE_RUNNING (upgrade lock held by " + OWNER);
        assertTrue(log.any("(stale: no heartbeat for over 60 s; an administrator may release it)"),
                log.lines().toString());
        WizardClient admin = new WizardClient(http.base());
        admin.signIn("/shop", TOKEN);
        String overview = admin.get("/shop/install/overview").body();
        assertTrue(overview.contains("no heartbeat for over 60 seconds") && overview.contains("Release the stale lock"),
                overview);

        assertEquals("released the stale upgrade lock", mbeans.invoke(shop, "releaseStaleLock", null, null));
        assertFalse(holder.isValid(5), "the silent holder's session was killed");
        try (Connection observer = DB.open()) {
            assertFalse(UpgradeLock.inspect(observer, 60).held());
        }
        assertEquals("NOT_INSTALLED", mbeans.getAttribute(shop, "State"));
        assertEquals("no upgrade lock is held", mbeans.invoke(shop, "releaseStaleLock", null, null));
    }

    @Test
    @Order(3)
    void theApiAnswers503WhenTheDatabaseCannotBeReachedForTheLock() throws Exception {
        assertEquals("NOT_INSTALLED", refresh(down));
        DB.proxy().cut();
        try {
            HttpResponse<String> refused = http.upgrade("/down", TOKEN);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("the database cannot be reached"), refused.body());
            assertFalse(refused.body().contains("SQL") || refused.body().contains("Exception"), refused.body());
        } finally {
            DB.proxy().restore();
        }
        try (Connection observer = DB.open()) {
            assertFalse(UpgradeLock.inspect(observer, 60).held(), "no lock was taken");
        }
    }

    /** JMX clears the webapp's own Liquibase lock table, as the API and the wizard do, not Liquibase's default one. */
    @Test
    @Order(4)
    void jmxReleasesALeftLiquibaseLockInTheWebappsOwnLockTable() throws Exception {
        String url = DB.createDatabase("custom");
        try (Connection connection = java.sql.DriverManager.getConnection(url, DB.user(), DB.password());
             Statement sql = connection.createStatement()) {
            // What a run killed ten minutes ago leaves in the lock table this webapp's Liquibase uses.
            sql.execute("CREATE TABLE CUSTOM_LOCK (ID INT PRIMARY KEY, LOCKED TINYINT(1) NOT NULL,"
                    + " LOCKGRANTED DATETIME NULL, LOCKEDBY VARCHAR(255) NULL)");
            sql.execute("INSERT INTO CUSTOM_LOCK VALUES (1, 1, NOW() - INTERVAL 10 MINUTE, 'web-9 (killed)')");
            TestBundle bundle = new TestBundle("1.0.0").database("custom")
                    .sql("create-item", "CREATE TABLE item (id INT)").tag("1.0.0");
            tomcat.deploy("/custom", bundle.directory(base.resolve("custom")), "custom", url);
            ObjectName custom = new ObjectName("Locks:type=UpgradeGate,host=localhost,context=/custom");
            assertEquals("released the stale upgrade lock", mbeans.invoke(custom, "releaseStaleLock", null, null));
            try (java.sql.ResultSet lock = sql.executeQuery("SELECT LOCKED FROM CUSTOM_LOCK WHERE ID = 1")) {
                assertTrue(lock.next());
                assertEquals(0, lock.getInt(1), "the webapp's own Liquibase lock is cleared");
            }
        }
    }
}
