package dev.upgradegate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TestGatekeeper {

    @Test
    void theDeployLineShowsWhereTheDatabaseIsButNoCredential() {
        assertEquals("jdbc:mysql://db.internal:3306/shop",
                Gatekeeper.withoutSecrets("jdbc:mysql://db.internal:3306/shop?user=shop&password=secret"));
        assertEquals("jdbc:mariadb://db:3306/shop", Gatekeeper.withoutSecrets("jdbc:mariadb://shop:secret@db:3306/shop"));
        assertEquals("jdbc:sqlserver://db:1433", Gatekeeper.withoutSecrets("jdbc:sqlserver://db:1433;password=secret"));
        assertEquals("jdbc:mysql://db/shop", Gatekeeper.withoutSecrets("jdbc:mysql://db/shop"));
    }
}
