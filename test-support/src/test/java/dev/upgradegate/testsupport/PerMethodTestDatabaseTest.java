package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registered on an instance field, the extension gives every test method a database of its own. */
class PerMethodTestDatabaseTest {

    private static final Set<String> NAMES_SEEN = ConcurrentHashMap.newKeySet();

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @RepeatedTest(2)
    void getsAFreshDatabase() {
        assertTrue(NAMES_SEEN.add(db.databaseName()), "database reused: " + db.databaseName());
    }
}
