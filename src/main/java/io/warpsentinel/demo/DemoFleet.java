package io.warpsentinel.demo;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated account's registrations, generated on demand from the account id and an index,
 * so a fleet of a million costs no memory. About 60% are current, 25% stale, 10% revoked and
 * the rest carry the edge cases real fleets have: no user (service-token enrolments),
 * {@code user: null}, numeric offsets and fractional seconds, device names with commas, quotes,
 * HTML and non-ASCII text, fields this client does not know, and a few unreadable
 * {@code last_seen_at} values. Current devices were seen within 28 days and stale ones more
 * than 32 days ago, so the default 30-day window splits them the same way whenever it runs.
 */
public final class DemoFleet {

    private static final String[] DEVICE_NAMES = {
        "Alice's MacBook Pro", "build-agent-07", "Kiosk, Lobby 2", "Bob \"the builder\" laptop",
        "Müller-Lüdenscheidt ThinkPad", "山田のPC", "<script>alert(1)</script>", "Pixel 8 Pro",
        "iPad (Front desk)", "  padded name  ", "line\nbreak", "DESKTOP-7Q2JH1K",
    };
    private static final String[] OFFSETS = {"Z", "+02:00", "-05:00", "+05:30"};

    private final long seed;
    private final int size;
    private final Instant now;
    // what remediation calls changed, by index: revoked when, and deleted
    private final Map<Integer, Instant> revokedByCall = new ConcurrentHashMap<>();
    private final Set<Integer> deleted = ConcurrentHashMap.newKeySet();

    public DemoFleet(String accountId, int size, Instant now) {
        this.seed = accountId.hashCode() * 0x9E3779B97F4A7C15L;
        this.size = size;
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
    }

    public int size() {
        return size;
    }

    public boolean isRevoked(int index) {
        return kind(random(index)) == Kind.REVOKED || revokedByCall.containsKey(index);
    }

    public boolean isDeleted(int index) {
        return deleted.contains(index);
    }

    /** The index of a registration id of this fleet, or -1. */
    public int indexOf(String registrationId) {
        try {
            int index = Integer.parseInt(registrationId.substring(4, 12), 16);
            return index < size && registrationId.equals("reg-" + uuid(index)) && !deleted.contains(index) ? index : -1;
        } catch (RuntimeException notOurs) {
            return -1;
        }
    }

    /** Cloudflare's revoke: revoked_at set to now (a registration already revoked keeps its time). */
    public void revoke(int index, Instant at) {
        if (kind(random(index)) != Kind.REVOKED) {
            revokedByCall.putIfAbsent(index, at);
        }
    }

    public void unrevoke(int index) {
        revokedByCall.remove(index);
    }

    public void delete(int index) {
        deleted.add(index);
    }

    public void write(JsonGenerator json, int index) throws IOException {
        SplittableRandom random = random(index);
        Kind kind = kind(random);
        int ageSeconds = switch (kind) {
            case CURRENT -> random.nextInt(28 * 86_400);
            case STALE -> 32 * 86_400 + random.nextInt(370 * 86_400);
            case REVOKED -> random.nextInt(400 * 86_400);
        };
        Instant lastSeen = now.minusSeconds(ageSeconds);
        String uuid = uuid(index);
        json.writeStartObject();
        json.writeStringField("id", "reg-" + uuid);
        json.writeStringField("created_at", timestamp(lastSeen.minus(400, ChronoUnit.DAYS), 0));
        json.writeStringField("updated_at", timestamp(lastSeen, 0));
        if (index % 499 == 7) {
            json.writeStringField("last_seen_at", "not-a-timestamp");
        } else if (index % 499 != 11) {
            json.writeStringField("last_seen_at", timestamp(lastSeen, index));
        }
        json.writeStringField("key", "demo-public-key-" + index);
        json.writeStringField("key_type", index % 3 == 0 ? "curve25519" : "secp256r1");
        json.writeStringField("tunnel_type", index % 3 == 0 ? "wireguard" : "masque");
        json.writeNullField("deleted_at");
        if (kind == Kind.REVOKED) {
            json.writeStringField("revoked_at", timestamp(lastSeen.plusSeconds(3600), 0));
        } else if (revokedByCall.containsKey(index)) {
            json.writeStringField("revoked_at", timestamp(revokedByCall.get(index).truncatedTo(ChronoUnit.SECONDS), 0));
        } else {
            json.writeNullField("revoked_at");
        }
        json.writeObjectFieldStart("device");
        json.writeStringField("id", "dev-" + uuid);
        json.writeStringField("name", DEVICE_NAMES[index % DEVICE_NAMES.length] + " #" + index);
        if (index % 5 != 0) {
            json.writeStringField("client_version", "2025." + (index % 12 + 1) + ".0");
        }
        json.writeEndObject();
        if (index % 37 == 0) {
            json.writeNullField("user");
        } else if (index % 41 != 0) {
            json.writeObjectFieldStart("user");
            json.writeStringField("id", "usr-" + uuid(index / 3));
            json.writeStringField("email", "user" + (index / 3) + "@example.com");
            json.writeStringField("name", "User " + (index / 3));
            json.writeEndObject();
        }
        // Cloudflare adds fields over time; a client must skip what it does not know.
        json.writeObjectFieldStart("posture_hint");
        json.writeBooleanField("demo", true);
        json.writeEndObject();
        json.writeEndObject();
    }

    private enum Kind { CURRENT, STALE, REVOKED }

    private static Kind kind(SplittableRandom random) {
        int roll = random.nextInt(100);
        return roll < 62 ? Kind.CURRENT : roll < 88 ? Kind.STALE : Kind.REVOKED;
    }

    private SplittableRandom random(int index) {
        return new SplittableRandom(seed ^ (index * 0xBF58476D1CE4E5B9L));
    }

    private String uuid(int index) {
        long bits = new SplittableRandom(seed + index).nextLong();
        return String.format("%08x-%04x-4%03x-a%03x-%012x", index, (bits >>> 48) & 0xffff, (bits >>> 36) & 0xfff,
                (bits >>> 24) & 0xfff, bits & 0xffffffffffffL);
    }

    /** RFC 3339 in the styles Cloudflare's clients meet: Z or an offset, with or without fractions. */
    private static String timestamp(Instant instant, int style) {
        String offset = OFFSETS[style % OFFSETS.length];
        var zoned = instant.atOffset(offset.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(offset));
        String text = zoned.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"));
        if (style % 7 == 3) {
            text += "." + String.format("%06d", style % 1_000_000);
        }
        return text + offset;
    }
}
