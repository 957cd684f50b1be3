package dev.upgradegate.testsupport;

/** Run in a separate JVM by {@link TestEmbeddedMariaDb} to watch the server end with that JVM. */
public final class EmbeddedMariaDbChild {

    static final String READY = "READY ";

    private EmbeddedMariaDbChild() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedMariaDb server = EmbeddedMariaDb.start(0, null);
        System.out.println(READY + server.baseDir());
        System.out.flush();
        if ("exit".equals(args[0])) {
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
