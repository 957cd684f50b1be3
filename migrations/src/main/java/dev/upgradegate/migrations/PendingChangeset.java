package dev.upgradegate.migrations;

/** One changeset an upgrade would run, as Liquibase identifies it. */
public final class PendingChangeset {

    private final String id;
    private final String author;
    private final String file;

    public PendingChangeset(String id, String author, String file) {
        this.id = id;
        this.author = author;
        this.file = file;
    }

    public String id() {
        return id;
    }

    public String author() {
        return author;
    }

    public String file() {
        return file;
    }

    @Override
    public String toString() {
        return file + "::" + id + "::" + author;
    }
}
