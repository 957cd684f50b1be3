package dev.upgradegate.migrations.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * pg_dump's backup on a real PostgreSQL, judged by its restore: psql replays it into an empty database, which must
 * then have the same columns and the same rows. And the failures an administrator meets: a wrong binary, a wrong
 * password, each a clear failed backup.
 */
class TestPgDump {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    static final String PG_DUMP = PgDump.DEFAULT_BINARY;
    static final int BULK_ROWS = 20_000;

    @TempDir
    Path dir;

    private static Connection open(String url) throws SQLException {
        return DriverManager.getConnection(url, DB.user(), DB.password());
    }

    @Test
    void aDumpRestoredIntoAnEmptyDatabaseHasTheSameColumnsAndRows() throws Exception {
        String source = DB.createDatabase("pgdump_src");
        try (Connection connection = open(source); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE customer (id SERIAL PRIMARY KEY, name TEXT NOT NULL, note TEXT,"
                    + " balance NUMERIC(12, 2) DEFAULT 0, since TIMESTAMP WITH TIME ZONE, active BOOLEAN,"
                    + " photo BYTEA, tags TEXT[], extra JSONB)");
            sql.execute("CREATE TABLE \"Order Line\" (id BIGINT PRIMARY KEY, customer INT REFERENCES customer(id),"
                    + " amount DOUBLE PRECISION)");
            sql.execute("CREATE INDEX by_customer ON \"Order Line\" (customer)");
            sql.execute("CREATE TABLE empty_one (id INT PRIMARY KEY)");
            sql.execute("CREATE VIEW rich AS SELECT id, name FROM customer WHERE balance > 100");
            sql.execute("INSERT INTO customer (name, note, balance, since, active, photo, tags, extra) VALUES"
                    + " ('Ann', E'tab\\there\\nnew line \\\\ backslash', 123.45, '2024-02-29 12:00:00+01', true,"
                    + " '\\xDEADBEEF', ARRAY['a', 'b,c'], '{\"k\": [1, 2]}'),"
                    + " ('Zoë \u00e9\u4e2d', NULL, -1, NULL, NULL, NULL, NULL, NULL),"
                    + " (E'\\\\.', 'a value that looks like the end of a COPY block', 0, now(), false, '', '{}', 'null')");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO \"Order Line\" VALUES (?, ?, ?)")) {
                for (int i = 0; i < BULK_ROWS; i++) {
                    insert.setLong(1, i);
                    insert.setInt(2, 1 + i % 3);
                    insert.setDouble(3, i * 1.25);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }

        Path file = dir.resolve("backup.sql.gz");
        SchemaDump.Summary summary = dump(source, PG_DUMP, file);
        assertEquals(Map.of("public.customer", 3L, "public.\"Order Line\"", (long) BULK_ROWS, "public.empty_one", 0L),
                summary.rowCounts(), "rows counted off the dump as it streamed past");

        String target = DB.createDatabase("pgdump_dst");
        restore(file, target);
        assertEquals(columns(source), columns(target));
        assertEquals(rows(source), rows(target));
        assertTrue(rows(target).containsKey("rich"), "the view too: " + rows(target));
    }

    @Test
    void aWebappInItsOwnSchemaGetsThatSchemaOnly() throws Exception {
        String source = DB.createDatabase("pgdump_schema");
        try (Connection connection = open(source); Statement sql = connection.createStatement()) {
            sql.execute("CREATE SCHEMA \"Shop Data\"");
            sql.execute("CREATE TABLE \"Shop Data\".item (id INT PRIMARY KEY, name TEXT)");
            sql.execute("INSERT INTO \"Shop Data\".item VALUES (1, 'one'), (2, 'two')");
            sql.execute("CREATE TABLE public.other_webapp (id INT)");
        }
        Path file = dir.resolve("schema.sql.gz");
        SchemaDump.Summary summary;
        // As a DataSource's initial SQL or a role's default would set it; the name's case and space included.
        try (Connection connection = open(source); Statement sql = connection.createStatement();
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            sql.execute("SET search_path TO \"Shop Data\"");
            summary = PgDump.write(PG_DUMP, PgTarget.of(connection), DB.password(), out);
        }
        assertEquals(Map.of("\"Shop Data\".item", 2L), summary.rowCounts());
        String target = DB.createDatabase("pgdump_schema_dst");
        restore(file, target);
        try (Connection connection = open(target); Statement sql = connection.createStatement();
             ResultSet tables = sql.executeQuery("SELECT table_schema || '.' || table_name || ' ' || ("
                     + "SELECT string_agg(name, ',' ORDER BY id) FROM \"Shop Data\".item)"
                     + " FROM information_schema.tables WHERE table_schema IN ('public', 'Shop Data')")) {
            assertTrue(tables.next());
            assertEquals("Shop Data.item one,two", tables.getString(1));
            assertFalse(tables.next(), "another schema's tables are not this webapp's");
        }
    }

    @Test
    void pgDumpIsAPathThatMayBeRunOrANameOnPath() throws Exception {
        Path script = script("pg_dump_here", "exit 0\n");
        assertEquals(script.toAbsolutePath(), PgDump.locate(script.toString()));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
        assertNull(PgDump.locate(script.toString()), "a file that may not be run");
        assertNull(PgDump.locate(dir.toString()), "a folder");
        Path onPath = PgDump.locate(PG_DUMP);
        assertTrue(onPath != null && onPath.isAbsolute() && onPath.endsWith(PG_DUMP),
                ".ci/run installs postgresql-client: " + onPath);
        assertNull(PgDump.locate("pg_dump_nowhere"));
    }

    @Test
    void aWrongBinaryIsAClearFailure() throws Exception {
        String url = DB.createDatabase("pgdump_binary");
        PgDumpException missing = assertThrows(PgDumpException.class, () -> dump(url, "/nonexistent/pg_dump",
                dir.resolve("a.sql.gz")));
        assertEquals(PgDumpException.Reason.NOT_RUNNABLE, missing.reason());
        assertTrue(missing.getMessage().contains("/nonexistent/pg_dump"), missing.getMessage());

        Path failing = script("failing", "echo 'pg_dump: error: aborting because of server version mismatch' >&2\n"
                + "exit 1\n");
        PgDumpException mismatch = assertThrows(PgDumpException.class, () -> dump(url, failing.toString(),
                dir.resolve("b.sql.gz")));
        assertEquals(PgDumpException.Reason.VERSION_MISMATCH, mismatch.reason());
        assertTrue(mismatch.getMessage().contains("exited with 1") && mismatch.getMessage().contains("mismatch"),
                "the log names why: " + mismatch.getMessage());

        Path silent = script("silent", "exit 0\n");
        PgDumpException empty = assertThrows(PgDumpException.class, () -> dump(url, silent.toString(),
                dir.resolve("c.sql.gz")));
        assertEquals(PgDumpException.Reason.INCOMPLETE, empty.reason());
        assertTrue(empty.getMessage().contains("wrote nothing"), empty.getMessage());
    }

    @Test
    void aWrongPasswordIsAClearFailureAndNoPasswordIsEverOnTheCommandLine() throws Exception {
        String url = DB.createDatabase("pgdump_password");
        String role = "upgradegate_pw_" + ProcessHandle.current().pid();
        String password = "right:pass\\word";
        try (PasswordRole signIn = new PasswordRole(role, password, url)) {
            Path seen = dir.resolve("seen");
            // A real pg_dump, watched: its arguments, and the password file while it runs.
            Path watched = script("watched", "printf '%s\\n' \"$@\" > " + seen + ".args\n"
                    + "stat -c %a \"$PGPASSFILE\" > " + seen + ".mode\n"
                    + "echo \"PGPASSWORD=${PGPASSWORD:-unset}\" > " + seen + ".env\n"
                    + "exec " + PgDump.locate(PG_DUMP) + " \"$@\"\n");
            Path good = dir.resolve("good.sql.gz");
            SchemaDump.Summary summary = dump(url, role, password, password, watched.toString(), good);
            assertEquals(Map.of("public.secret_rows", 1L), summary.rowCounts());
            String args = Files.readString(Path.of(seen + ".args"));
            assertFalse(args.contains(password) || args.contains("right"), "the password is never on the command line: " + args);
            assertTrue(args.contains("--no-password"), "pg_dump never waits on a prompt: " + args);
            assertEquals("600", Files.readString(Path.of(seen + ".mode")).trim(), "the password file is the owner's");
            assertEquals("PGPASSWORD=unset", Files.readString(Path.of(seen + ".env")).trim());
            assertNoPasswordFileLeft();

            PgDumpException refused = assertThrows(PgDumpException.class, () -> dump(url, role, password,
                    "wrong-password", PG_DUMP, dir.resolve("bad.sql.gz")));
            assertEquals(PgDumpException.Reason.SIGN_IN, refused.reason(), refused.getMessage());
            assertTrue(refused.passwordGiven());
            assertTrue(refused.getMessage().contains("password authentication failed"), refused.getMessage());
            assertFalse(refused.getMessage().contains("wrong-password"), refused.getMessage());
            assertNoPasswordFileLeft();
        }
    }

    private static SchemaDump.Summary dump(String url, String binary, Path file) throws Exception {
        return dump(url, DB.user(), DB.password(), DB.password(), binary, file);
    }

    /** @param given the password pg_dump is given, whatever the one the connection signed in with */
    private static SchemaDump.Summary dump(String url, String user, String password, String given, String binary,
                                           Path file) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            return PgDump.write(binary, PgTarget.of(connection), given, out);
        }
    }

    /** Replays the dump as the wizard's restore command does: psql, one transaction, stopping at the first error. */
    private static void restore(Path file, String url) throws Exception {
        PgTarget target;
        try (Connection connection = open(url)) {
            target = PgTarget.of(connection);
        }
        ProcessBuilder psql = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
                "-h", target.hosts(), "-p", target.ports(), "-U", target.user(), "-d", target.database())
                .redirectErrorStream(true);
        psql.environment().put("PGPASSWORD", DB.password());
        Process process = psql.start();
        try (OutputStream in = process.getOutputStream(); InputStream dump = new GZIPInputStream(Files.newInputStream(file))) {
            dump.transferTo(in);
        }
        String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "psql restored the dump: " + said);
    }

    /** Every column of the connection's schema: table, name, position, type, nullability, default. */
    private static List<String> columns(String url) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection connection = open(url); Statement sql = connection.createStatement();
             ResultSet column = sql.executeQuery("SELECT table_name, column_name, ordinal_position, data_type,"
                     + " is_nullable, column_default FROM information_schema.columns"
                     + " WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")) {
            while (column.next()) {
                columns.add(column.getString(1) + "." + column.getString(2) + " #" + column.getInt(3) + " "
                        + column.getString(4) + " null=" + column.getString(5) + " default=" + column.getString(6));
            }
        }
        assertFalse(columns.isEmpty());
        return columns;
    }

    /** Per table and view of the connection's schema: its row count and a checksum of its rows in order. */
    private static Map<String, String> rows(String url) throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection connection = open(url); Statement sql = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet table = sql.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() ORDER BY table_name")) {
                while (table.next()) {
                    tables.add(table.getString(1));
                }
            }
            for (String table : tables) {
                String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
                try (ResultSet sum = sql.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, '|'"
                        + " ORDER BY t::text), '')) FROM " + quoted + " t")) {
                    sum.next();
                    rows.put(table, sum.getLong(1) + " rows, md5 " + sum.getString(2));
                }
            }
            try (ResultSet sequence = sql.executeQuery("SELECT last_value FROM customer_id_seq")) {
                rows.put("customer_id_seq", sequence.next() ? sequence.getString(1) : "none");
            } catch (SQLException noSuchSequence) {
                rows.put("customer_id_seq", "none");
            }
        }
        return rows;
    }

    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static void assertNoPasswordFileLeft() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            List<Path> left = files.filter(f -> f.getFileName().toString().startsWith("upgradegate-pgpass")).collect(Collectors.toList());
            assertTrue(left.isEmpty(), "password files left behind: " + left);
        }
    }

    /**
     * A role that signs in with a password only. The shared test server may trust every local connection (the
     * embedded one does): then a rule for this role alone, ahead of the others, makes the server ask it for its
     * password, and goes again afterwards.
     */
    private static final class PasswordRole implements AutoCloseable {

        private final String role;
        private final String url;
        private String hbaFile;
        private List<String> hba;

        PasswordRole(String role, String password, String url) throws SQLException, InterruptedException {
            this.role = role;
            this.url = url;
            try (Connection admin = open(url); Statement sql = admin.createStatement()) {
                sql.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
                sql.execute("GRANT ALL ON SCHEMA public TO " + role);
                sql.execute("CREATE TABLE secret_rows (id INT)");
                sql.execute("INSERT INTO secret_rows VALUES (1)");
                sql.execute("ALTER TABLE secret_rows OWNER TO " + role);
            }
            if (signsInWith("not-" + password)) {
                askForPassword();
                // The server reads its rules again in the background.
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (signsInWith("not-" + password)) {
                    assertTrue(System.nanoTime() < deadline, "the server asks " + role + " for its password");
                    Thread.sleep(100);
                }
            }
        }

        private boolean signsInWith(String password) {
            try (Connection ignored = DriverManager.getConnection(url, role, password)) {
                return true;
            } catch (SQLException refused) {
                return false;
            }
        }

        private void askForPassword() throws SQLException {
            try (Connection admin = open(url); Statement sql = admin.createStatement()) {
                try (ResultSet file = sql.executeQuery("SELECT current_setting('hba_file')")) {
                    file.next();
                    hbaFile = file.getString(1);
                }
                hba = new ArrayList<>();
                try (ResultSet lines = sql.executeQuery("SELECT regexp_split_to_table(pg_read_file('"
                        + hbaFile.replace("'", "''") + "'), E'\\n')")) {
                    while (lines.next()) {
                        hba.add(lines.getString(1));
                    }
                }
                List<String> asking = new ArrayList<>();
                for (String address : new String[] {"127.0.0.1/32", "::1/128"}) {
                    asking.add("host all " + role + " " + address + " scram-sha-256");
                }
                asking.addAll(hba);
                write(sql, asking);
            }
        }

        /** Writes the rules file through the server, which owns it, and has it read again. */
        private void write(Statement sql, List<String> lines) throws SQLException {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                values.append(i == 0 ? "" : ", ").append("(").append(i).append(", '")
                        .append(lines.get(i).replace("'", "''")).append("')");
            }
            // CSV with a quote and a delimiter no rule contains: each line is written as it is.
            sql.execute("COPY (SELECT line FROM (VALUES " + values + ") AS rule(n, line) WHERE line <> '' ORDER BY n)"
                    + " TO '" + hbaFile.replace("'", "''") + "' WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')");
            sql.execute("SELECT pg_reload_conf()");
        }

        @Override
        public void close() throws SQLException {
            try (Connection admin = open(url); Statement sql = admin.createStatement()) {
                if (hba != null) {
                    write(sql, hba);
                }
                sql.execute("DROP OWNED BY " + role);
                sql.execute("DROP ROLE " + role);
            }
        }
    }
}
