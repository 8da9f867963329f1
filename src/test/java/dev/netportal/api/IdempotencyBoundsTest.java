package dev.netportal.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netportal.testing.Api;
import dev.netportal.testing.PkceLogin;
import dev.netportal.testing.TestPortal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency keys are bounded per caller (V2): a loop with fresh keys keeps only the newest few. */
class IdempotencyBoundsTest {

    private static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start("--netportal.idempotency.keys-per-caller=3", "--netportal.idempotency.trim-every=PT1S");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static List<String> keysOf(String subject) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection db = portal.database().connect(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("SELECT key FROM idempotent_request WHERE actor_subject = '"
                        + subject + "' ORDER BY created_at")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }

    @Test
    void aCallerKeepsOnlyItsNewestKeysAndTheyStillReplay() throws Exception {
        String bob = PkceLogin.accessToken(portal.issuer(), "bob", "bob");
        String dave = PkceLogin.accessToken(portal.issuer(), "dave", "dave");
        for (int i = 1; i <= 6; i++) {
            Api.Answer created = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", bob,
                    "{\"name\":\"keys-" + i + "\",\"partition\":\"nbg-1\",\"prefixLength\":28}", "Idempotency-Key", "loop-" + i);
            assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        }
        Api.Answer daves = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-b/networks", dave,
                "{\"name\":\"keys-dave\",\"partition\":\"nbg-1\",\"prefixLength\":28}", "Idempotency-Key", "loop-1");
        assertThat(daves.status()).as(daves.raw().body()).isEqualTo(201);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (keysOf("bob").size() > 3 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(keysOf("bob")).containsExactly("loop-4", "loop-5", "loop-6");
        assertThat(keysOf("dave")).containsExactly("loop-1");   // another caller's keys are its own

        Api.Answer replay = Api.send("POST", portal.apiUrl() + "/api/v1/projects/tenant-a/networks", bob,
                "{\"name\":\"keys-6\",\"partition\":\"nbg-1\",\"prefixLength\":28}", "Idempotency-Key", "loop-6");
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
    }
}
