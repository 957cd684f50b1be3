package dev.upgradegate.tomcat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/** Embedded Tomcat 11 with the valve on its Host, deploying the shop WARs as a host would. */
final class EmbeddedTomcat implements AutoCloseable {

    static final Path WARS = Path.of(System.getProperty("upgradegate.wars", "target/wars"));

    private final Tomcat tomcat = new Tomcat();
    private final String driverClass;
    private final String user;
    private final String password;
    final Http http;

    EmbeddedTomcat(Path base, Path configFile, TestDatabase database) throws Exception {
        this(base, configFile, database, "Tomcat");
    }

    /**
     * @param engineName unique per Tomcat in one JVM: it names the JNDI contexts and the JMX domain, so
     *        two nodes would otherwise clash
     */
    EmbeddedTomcat(Path base, Path configFile, TestDatabase database, String engineName) throws Exception {
        this(base, configFile, engineName, database.driver().className(), database.user(), database.password());
    }

    /** A Tomcat whose webapps log in to their database (another server than the test's) as {@code user}. */
    EmbeddedTomcat(Path base, Path configFile, String engineName, String driverClass, String user, String password)
            throws Exception {
        this.driverClass = driverClass;
        this.user = user;
        this.password = password;
        Files.createDirectories(base.resolve("tomcat/webapps"));
        tomcat.setBaseDir(base.resolve("tomcat").toString());
        tomcat.setPort(0);
        tomcat.getEngine().setName(engineName);
        tomcat.enableNaming();
        tomcat.getHost().setAutoDeploy(false);
        // A deployed Tomcat scans its lib/ for TLDs and web fragments; embedded here, the class path is the whole
        // test's (Liquibase, Selenium, JUnit...), seconds per deploy, and nothing on it is for a webapp. The
        // webapp's own WEB-INF/lib is still scanned. Set when the context is added, before it starts.
        tomcat.getHost().addContainerListener(event -> {
            if (Container.ADD_CHILD_EVENT.equals(event.getType())) {
                ((StandardJarScanner) ((Context) event.getData()).getJarScanner()).setScanClassPath(false);
            }
        });
        UpgradeGateValve valve = new UpgradeGateValve();
        valve.setConfigFile(configFile.toString());
        tomcat.getHost().getPipeline().addValve(valve);
        tomcat.start();
        http = new Http("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
    }

    /** Deploys a shop WAR whose context.xml points at {@code jdbcUrl}. */
    Context deploy(String path, String war, String jdbcUrl) {
        return deploy(path, WARS.resolve(war), "shop", jdbcUrl);
    }

    /**
     * Deploys a WAR or folder whose context.xml reads its database from {@code <database>.db.*}, set to
     * {@code jdbcUrl}, the server's user and the tests' driver.
     */
    Context deploy(String path, Path war, String database, String jdbcUrl) {
        return deploy(path, war, database, jdbcUrl, driverClass, user, password);
    }

    /** As above, on a database of {@code server}, which may be another kind than this Tomcat's own. */
    Context deploy(String path, Path war, String database, TestDatabase server, String jdbcUrl) {
        return deploy(path, war, database, jdbcUrl, server.driver().className(), server.user(), server.password());
    }

    private Context deploy(String path, Path war, String database, String jdbcUrl, String driver, String login,
                           String secret) {
        System.setProperty(database + ".db.url", jdbcUrl);
        System.setProperty(database + ".db.driver", driver);
        System.setProperty(database + ".db.user", login);
        System.setProperty(database + ".db.password", secret);
        return tomcat.addWebapp(path, war.toAbsolutePath().toString());
    }

    /** Adds a valve in front of every host, as a proxy-aware server.xml would (e.g. RemoteIpValve). */
    void addEngineValve(org.apache.catalina.Valve valve) {
        tomcat.getEngine().getPipeline().addValve(valve);
    }

    /** As {@link #deploy(String, Path, String, TestDatabase, String)}, replacing what was deployed at {@code path}. */
    Context redeploy(String path, Path war, String database, TestDatabase server, String jdbcUrl)
            throws LifecycleException {
        if (isDeployed(path)) {
            undeploy(path);
        }
        return deploy(path, war, database, server, jdbcUrl);
    }

    private boolean isDeployed(String path) {
        return tomcat.getHost().findChild(path) != null;
    }

    void undeploy(String path) throws LifecycleException {
        Context context = (Context) tomcat.getHost().findChild(path);
        context.stop();
        context.destroy();
        tomcat.getHost().removeChild(context);
    }

    /** Closes several nodes of one JVM, any of them {@code null}. */
    static void closeNodes(EmbeddedTomcat... nodes) {
        for (EmbeddedTomcat node : nodes) {
            if (node != null) {
                try {
                    node.close();
                } catch (LifecycleException e) {
                    // Tomcat keeps one global JNDI context per JVM; the other node's webapp cannot
                    // deregister from it. Only a second server in the same JVM meets this.
                }
            }
        }
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }
}
