package dev.upgradegate.gate.maintenance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.logging.Logger;

import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.MaintenanceResponses;
import dev.upgradegate.gate.http.Responses;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/**
 * What a stopped request gets: the administrator's template when one is configured and sound, else the
 * built-in page. The template file is looked at from the background refresh only, never per request;
 * a broken one is logged once per change, naming the file, and the built-in page stands in.
 */
public final class MaintenancePage {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    /** Larger files are surely a mistake, and would be held in memory. */
    private static final long MAX_BYTES = 1 << 20;
    /** What an administrator's page may show, each HTML-escaped. */
    static final List<String> PLACEHOLDERS = List.of("state", "code", "retryAfter", "message");
    /** A custom page may load its own styles and images, from paths the webapp ignores. */
    static final String CUSTOM_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "script-src 'none'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final String webapp;
    private final Path file;
    private final MaintenanceResponses builtIn;

    private volatile PageTemplate template;
    private FileTime seenTime;
    private long seenSize = -1;
    private boolean seenMissing;

    /** @param file the template, or {@code null} for the built-in page only */
    public MaintenancePage(String webapp, Path file, MaintenanceResponses builtIn) {
        this.webapp = webapp;
        this.file = file;
        this.builtIn = builtIn;
    }

    /** Loads the template if it changed since the last look. Called from the background refresh. */
    public synchronized void reloadIfChanged() {
        if (file == null) {
            return;
        }
        FileTime time;
        long size;
        try {
            time = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (IOException | SecurityException e) {
            if (!seenMissing) {
                seenMissing = true;
                seenTime = null;
                template = null;
                LOG.warning(() -> webapp + ": maintenance page " + file + " cannot be read (" + e
                        + "); visitors get the built-in page");
            }
            return;
        }
        if (!seenMissing && time.equals(seenTime) && size == seenSize) {
            return;
        }
        seenMissing = false;
        seenTime = time;
        seenSize = size;
        try {
            if (size > MAX_BYTES) {
                throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes");
            }
            template = PageTemplate.parse(utf8(Files.readAllBytes(file)), PLACEHOLDERS);
            LOG.info(() -> webapp + ": maintenance page " + file + " loaded");
        } catch (IOException | IllegalArgumentException e) {
            template = null;
            LOG.warning(() -> webapp + ": maintenance page " + file + " is broken (" + e.getMessage()
                    + "); visitors get the built-in page until it is fixed");
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8 text");
        }
    }

    /** Writes the 503 for {@code state}; {@code manual} is the maintenance in force, if any. */
    public void write(Exchange exchange, State state, Maintenance manual) throws IOException {
        PageTemplate custom = template;
        if (custom == null && (manual == null || state != State.MAINTENANCE)) {
            builtIn.write(exchange, state);
            return;
        }
        boolean byAdministrator = manual != null && state == State.MAINTENANCE;
        String message = byAdministrator && manual.message() != null ? manual.message() : state.message();
        int retryAfter = byAdministrator
                ? manual.retryAfterSeconds(System.currentTimeMillis(), builtIn.retryAfterSeconds())
                : builtIn.retryAfterSeconds();
        if (custom == null || Responses.wantsJson(exchange)) {
            builtIn.write(exchange, state, message, retryAfter);
            return;
        }
        exchange.header("Retry-After", Integer.toString(retryAfter));
        String page = custom.render(new Model().put("state", state.name()).put("code", state.code())
                .put("retryAfter", Integer.toString(retryAfter)).put("message", message)).toString();
        Responses.send(exchange, 503, Responses.HTML, CUSTOM_CSP, page.getBytes(StandardCharsets.UTF_8));
    }
}
