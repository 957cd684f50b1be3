package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The SQL each dialect writes, and what it tells of a lost race; the servers run it in TestUpgradeLock and friends. */
class TestDialect {

    @Test
    void anUpsertReplacesTheRowOfAnExistingKeyInEachDialect() {
        assertEquals("INSERT INTO T (K, A, B) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE A = VALUES(A), B = VALUES(B)",
                Dialect.MYSQL.upsert("T", "K", List.of("A", "B")));
        assertEquals("INSERT INTO T (K, A, B) VALUES (?, ?, ?) ON CONFLICT (K) DO UPDATE SET A = EXCLUDED.A, B = EXCLUDED.B",
                Dialect.POSTGRESQL.upsert("T", "K", List.of("A", "B")));
    }

    /** Two processes, or two versions of UpgradeGate, must agree on the advisory lock of one schema. */
    @Test
    void anAdvisoryLockKeyIsStableAndStaysInItsOwnRange() {
        long shop = PostgresDialect.key("upgradegate.shop.public");
        assertEquals(shop, PostgresDialect.key("upgradegate.shop.public"));
        assertNotEquals(shop, PostgresDialect.key("upgradegate.shop.billing"));
        assertEquals(0x55475400L, shop >>> 32, "the upper half marks our keys");
        assertEquals(0x6d9cae37L, PostgresDialect.key("upgradegate.shop.public") & 0xffffffffL, "CRC-32 of the name");
    }

    @Test
    void aDuplicateKeyADeadlockAndAFailedCertificationAreLostRaces() {
        assertTrue(Sql.isLostRace(new SQLException("Duplicate entry '1' for key 'PRIMARY'", "23000", 1062)));
        assertTrue(Sql.isLostRace(new SQLException("duplicate key value violates unique constraint", "23505")));
        assertTrue(Sql.isLostRace(new SQLException("Deadlock found when trying to get lock", "40001", 1213)));
        assertTrue(Sql.isLostRace(new SQLException("deadlock detected", "40P01")));
        assertFalse(Sql.isLostRace(new SQLException("Communications link failure", "08S01")));
    }
}
