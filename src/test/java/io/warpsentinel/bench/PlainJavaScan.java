package io.warpsentinel.bench;

import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import io.warpsentinel.classify.Rules;
import io.warpsentinel.classify.StalePolicy;
import io.warpsentinel.classify.StaleWindows;
import io.warpsentinel.cloudflare.RegistrationsPage;
import io.warpsentinel.cloudflare.RegistrationsPageParser;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Verdict;
import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.secrets.Secrets;
import java.io.InputStream;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The baseline the product is measured against: the bare minimum of the same work, without
 * Camel. java.net.http fetches the pages one after the other, the product's streaming parser
 * reads them, the product's rule classifies, and the same CSV is written. No JSON or HTML
 * report, no retries, no pacing. Usage: PlainJavaScan BASE_URL ACCOUNT PER_PAGE OUT_CSV NOW
 */
public final class PlainJavaScan {

    private static final String[] HEADER = {"registration_id", "device_id", "device_name", "user_id", "user_email", "user_name",
        "last_seen_at", "revoked_at", "days_since_seen", "reason", "key_type", "tunnel_type", "client_version", "note"};

    public static void main(String[] args) throws Exception {
        String url = args[0] + "/accounts/" + args[1] + "/devices/registrations?status=all&per_page=" + args[2];
        Instant now = Instant.parse(args[4]);
        // the product's rules, each registration judged as it comes (a baseline knows nothing of the rest of the listing)
        Rules rules = new Rules(now, new StaleWindows(StalePolicy.parse("P30D")), Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(7));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        RegistrationsPageParser parser = new RegistrationsPageParser(new FailureText(Secrets.global()));
        long scanned = 0;
        int pages = 0;
        try (Writer file = Files.newBufferedWriter(Path.of(args[3]), StandardCharsets.UTF_8);
             CsvGenerator csv = new CsvFactory().createGenerator(file)) {
            csv.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
            row(csv, (Object[]) HEADER);
            String cursor = null;
            do {
                String next = cursor == null ? url : url + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(next))
                        .header("Authorization", "Bearer bench-token").build(), HttpResponse.BodyHandlers.ofInputStream());
                RegistrationsPage page;
                try (InputStream body = response.body()) {
                    page = parser.parse(args[1], response.statusCode(), body);
                }
                pages++;
                for (Registration r : page.registrations()) {
                    scanned++;
                    Verdict v = rules.judge(r, null, null);
                    if (v.reason().isFinding()) {
                        row(csv, r.id(), r.deviceId(), r.deviceName(), r.userId(), r.userEmail(), r.userName(), r.lastSeenAt(),
                                r.revokedAt(), v.daysSinceSeen(), v.reason().label(), r.keyType(), r.tunnelType(), r.clientVersion(), v.note());
                    }
                }
                cursor = page.isEmpty() ? null : page.nextCursor();
            } while (cursor != null);
        }
        System.out.println("baseline: " + scanned + " registrations, " + pages + " pages");
    }

    private static void row(CsvGenerator csv, Object... values) throws java.io.IOException {
        csv.writeStartArray();
        for (Object value : values) {
            if (value instanceof Long number) {
                csv.writeNumber(number);
            } else {
                csv.writeString(value == null ? "" : value.toString());
            }
        }
        csv.writeEndArray();
    }
}
