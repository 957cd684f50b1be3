package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registered on an instance field, the extension gives every test method a database of its own. */
class TestPerMethodTestDatabase {

    private static final Set<String> NAMES_SEEN = ConcurrentHashMap.newKeySet();

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    /** Each repetition leaves a table behind: the next must not see it. */
    @RepeatedTest(2)
    void getsAFreshDatabase() throws SQLException {
        assertTrue(NAMES_SEEN.add(db.databaseName()), "database reused: " + db.databaseName());
        assertEquals(List.of(), TestDatabaseTest.tables(db.open()), "tables left in " + db.databaseName());
        try (Connection connection = db.open(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE left_behind (id INT)");
        }
    }
}
