package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JdbcUrlTest {

    @Test
    void replacesTheDatabaseAndKeepsTheParameters() {
        JdbcUrl url = JdbcUrl.parse("jdbc:mysql://db.example:3307/other?sslMode=REQUIRED&x=1");
        assertEquals("db.example", url.host());
        assertEquals(3307, url.port());
        assertEquals("jdbc:mysql://db.example:3307/mine?sslMode=REQUIRED&x=1", url.forDatabase("mine"));
        assertEquals("jdbc:mysql://127.0.0.1:4000/mine?sslMode=REQUIRED&x=1",
                url.withAddress("127.0.0.1", 4000).forDatabase("mine"));
    }

    @Test
    void defaultsThePortAndAcceptsMariadbSchemeUserInfoAndIpv6() {
        assertEquals("jdbc:mysql://localhost:3306/", JdbcUrl.parse("jdbc:mariadb://localhost").forDatabase(""));
        assertEquals("jdbc:mysql://u:p@[::1]:3310/d", JdbcUrl.parse("jdbc:mysql://u:p@[::1]:3310/").forDatabase("d"));
    }

    @Test
    void refusesWhatItCannotTakeApart() {
        assertThrows(IllegalArgumentException.class, () -> JdbcUrl.parse("jdbc:postgresql://localhost/x"));
        assertThrows(IllegalArgumentException.class, () -> JdbcUrl.parse("jdbc:mysql://a:1,b:2/x"));
    }
}
