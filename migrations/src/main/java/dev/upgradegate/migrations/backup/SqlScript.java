package dev.upgradegate.migrations.backup;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Replays a SQL script such as a {@link SchemaDump} over JDBC, one statement at a time: splits on
 * {@code ;} outside quotes and comments, the way the {@code mysql} client does for such files.
 */
public final class SqlScript {

    private SqlScript() {
    }

    /** @return how many statements ran */
    public static int run(Reader script, Connection connection) throws IOException, SQLException {
        int count = 0;
        try (Statement statement = connection.createStatement()) {
            StringBuilder current = new StringBuilder();
            char quote = 0;
            boolean lineComment = false;
            int previous = '\n';
            int c;
            while ((c = script.read()) >= 0) {
                if (lineComment) {
                    if (c == '\n') {
                        lineComment = false;
                    }
                    previous = c;
                    continue;
                }
                if (quote != 0) {
                    current.append((char) c);
                    if (c == '\\' && quote != '`') {
                        int next = script.read();
                        if (next >= 0) {
                            current.append((char) next);
                        }
                    } else if (c == quote) {
                        quote = 0;
                    }
                    previous = c;
                    continue;
                }
                if (c == '-' && current.toString().isBlank() && previous == '\n') {
                    int next = script.read();
                    if (next == '-') {
                        lineComment = true;
                        continue;
                    }
                    current.append('-');
                    if (next < 0) {
                        break;
                    }
                    c = next;
                }
                if (c == ';') {
                    if (!current.toString().isBlank()) {
                        statement.execute(current.toString());
                        count++;
                    }
                    current.setLength(0);
                } else {
                    if (c == '\'' || c == '"' || c == '`') {
                        quote = (char) c;
                    }
                    current.append((char) c);
                }
                previous = c;
            }
            if (!current.toString().isBlank()) {
                statement.execute(current.toString());
                count++;
            }
        }
        return count;
    }
}
