package dev.upgradegate.migrations.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TestPgTarget {

    @Test
    void hostsAndPortsComeFromTheUrlTheRestFromTheConnection() {
        PgTarget target = PgTarget.parse("jdbc:postgresql://db1:5433,[::1],db3:/shop?sslmode=require&currentSchema=x",
                "shop_live", "shop", "public");
        assertEquals("db1,::1,db3", target.hosts());
        assertEquals("5433,5432,5432", target.ports());
        assertEquals("shop_live", target.database());
        assertEquals("require", target.sslMode());
        assertNull(target.schema(), "public: the whole database");
        assertEquals("shop_live", target.toString());
    }

    @Test
    void aUrlWithoutHostIsLocalhostAndAnotherSchemaIsTheWebappsOnly() {
        PgTarget target = PgTarget.parse("jdbc:postgresql:shop", "shop", "shop", "Shop Data");
        assertEquals("localhost", target.hosts());
        assertEquals("5432", target.ports());
        assertEquals("Shop Data", target.schema());
        assertEquals("shop.Shop Data", target.toString());
    }

    @Test
    void sslTrueMeansFullVerificationAsInPgjdbc() {
        assertEquals("verify-full", PgTarget.parse("jdbc:postgresql://db/shop?ssl=true", "shop", "u", null).sslMode());
        assertNull(PgTarget.parse("jdbc:postgresql://db/shop?ssl=false", "shop", "u", null).sslMode());
    }

    @Test
    void theConnectionStringQuotesEveryValueAndNeverHoldsThePassword() {
        PgTarget target = PgTarget.parse("jdbc:postgresql://db/shop?password=s%3Acret&user=x", "it's",
                "back\\slash", null);
        assertEquals("s:cret", target.urlPassword());
        String conninfo = target.conninfo();
        assertEquals("host='db' port='5432' dbname='it\\'s' user='back\\\\slash'", conninfo);
        assertFalse(conninfo.contains("cret"), conninfo);
    }
}
