package dev.upgradegate.gate.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a webapp's database connections come from. */
public interface ConnectionSource {

    Connection open() throws SQLException;
}
