package io.warpsentinel.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path must agree with java.time's RFC 3339 reading on every input it accepts, and refuse what java.time refuses. */
class Rfc3339Test {

    @Test
    void readsEveryFormTheApiWrites() {
        assertThat(Rfc3339.parse("2026-11-28T06:00:00Z")).isEqualTo(Instant.parse("2026-11-28T06:00:00Z"));
        assertThat(Rfc3339.parse("2026-11-28T06:00:00.123456Z")).isEqualTo(Instant.parse("2026-11-28T06:00:00.123456Z"));
        assertThat(Rfc3339.parse("2026-11-28T07:30:00.5+01:30")).isEqualTo(Instant.parse("2026-11-28T06:00:00.5Z"));
        assertThat(Rfc3339.parse("2026-11-28t06:00:00z")).isEqualTo(Instant.parse("2026-11-28T06:00:00Z"));
        assertThat(Rfc3339.parse("2026-11-28 06:00:00Z")).isEqualTo(Instant.parse("2026-11-28T06:00:00Z"));
        assertThat(Rfc3339.canonical("2026-11-28 06:00:00Z")).as("a space is the slow path's").isNull();
        assertThat(Rfc3339.parse("2026-11-28T06:00:00.1234567891234Z")).as("RFC 3339 sets no limit to a fraction's digits; nine are kept")
                .isEqualTo(Instant.parse("2026-11-28T06:00:00.123456789Z"));
        assertThat(Rfc3339.slow("2026-11-28 06:00:00.1234567891234+01:00")).isEqualTo(Instant.parse("2026-11-28T05:00:00.123456789Z"));
    }

    @Test
    void refusesWhatIsNotATimestamp() {
        for (String bad : List.of("", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T06:60:00Z",
                "2026-11-28T06:00:60Z", "2026-11-28T06:00:00",
                "2026-11-28T06:00:00+19:00", "2026-11-28T06:00:00+01:60", "2026-11-28T06:00:00Zjunk", "2026-11-28T06:00:00+0100",
                "+2026-11-28T06:00:00Z", "2026-1-28T06:00:00Z", "２０２６-11-28T06:00:00Z", "2026-11-28T06:00:00ZZ")) {
            assertThat(Rfc3339.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void agreesWithJavaTimeOnRandomTextNearTheCanonicalShape() {
        Random random = new Random(3339);
        String alphabet = "0123456789-:.TtZz+ 9";
        int fastPathTaken = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder(canonicalSample(random));
            for (int edits = random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> text.deleteCharAt(at);
                    default -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String value = text.toString();
            Instant fast = Rfc3339.canonical(value);
            if (fast != null) {
                fastPathTaken++;
                assertThat(fast).as(value).isEqualTo(Rfc3339.slow(value));
            }
            assertThat(Rfc3339.parse(value)).as(value).isEqualTo(Rfc3339.slow(value));
        }
        assertThat(fastPathTaken).as("the fast path is exercised, not only the fallback").isGreaterThan(50_000);
    }

    private static String canonicalSample(Random random) {
        List<String> parts = new ArrayList<>();
        parts.add(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000), 1 + random.nextInt(12), 1 + random.nextInt(31),
                random.nextInt(24), random.nextInt(60), random.nextInt(60)));
        if (random.nextBoolean()) {
            parts.add("." + String.valueOf(random.nextLong() & Long.MAX_VALUE).substring(0, 1 + random.nextInt(9)));
        }
        parts.add(random.nextInt(3) == 0 ? String.format("%c%02d:%02d", random.nextBoolean() ? '+' : '-', random.nextInt(19),
                random.nextInt(60)) : "Z");
        return String.join("", parts);
    }
}
