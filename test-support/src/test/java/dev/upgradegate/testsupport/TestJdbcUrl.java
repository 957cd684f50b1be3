package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TestJdbcUrl {

    private static final String SCHEME = TestDriver.selected().scheme();

    @Test
    void replacesTheDatabaseAndKeepsTheParameters() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mysql://db.example:3307/other?sslMode=REQUIRED&x=1");
        assertEquals("db.example", url.host());
        assertEquals(3307, url.port());
        assertEquals(SCHEME + "//db.example:3307/mine?sslMode=REQUIRED&x=1", url.forDatabase("mine"));
        assertEquals(SCHEME + "//127.0.0.1:4000/mine?sslMode=REQUIRED&x=1",
                url.withAddress("127.0.0.1", 4000).forDatabase("mine"));
    }

    @Test
    void defaultsThePortAndAcceptsEitherSchemeUserInfoAndIpv6() {
        assertEquals(SCHEME + "//localhost:3306/", JdbcUrl.parse("jdbc:mariadb://localhost").forDatabase(""));
        assertEquals(SCHEME + "//u:p@[::1]:3310/d", JdbcUrl.parse("jdbc:mysql://u:p@[::1]:3310/").forDatabase("d"));
    }

    @Test
    void keepsPostgreSqlUrlsPostgreSql() {
        JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://db.example/other?currentSchema=shop");
        assertEquals(DatabaseKind.POSTGRESQL, url.kind());
        assertEquals(5432, url.port());
        assertEquals("jdbc:postgresql://127.0.0.1:4000/mine?currentSchema=shop",
                url.withAddress("127.0.0.1", 4000).forDatabase("mine"));
    }

    @Test
    void refusesWhatItCannotTakeApart() {
        assertThrows(IllegalArgumentException.class, () -> JdbcUrl.parse("jdbc:oracle:thin:@localhost:1521/x"));
        assertThrows(IllegalArgumentException.class, () -> JdbcUrl.parse("jdbc:mysql://a:1,b:2/x"));
    }
}
