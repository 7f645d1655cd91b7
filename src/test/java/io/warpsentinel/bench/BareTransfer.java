package io.warpsentinel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a Java client pays per page, without the scan's own work: every page of an account
 * fetched one after the other with java.net.http (the baseline's client), each body read to its
 * end into one reused buffer. Prints one JSON line per round: the whole time and each page's.
 * bench/node/transfer.mjs does the same with Node's fetch and with the SDK.
 * Usage: BareTransfer BASE_URL ACCOUNT PER_PAGE [ROUNDS]
 */
public final class BareTransfer {

    public static void main(String[] args) throws Exception {
        String url = args[0] + "/accounts/" + args[1] + "/devices/registrations?status=all&per_page=" + args[2];
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] buffer = new byte[1 << 20];
        for (int round = 0; round < rounds; round++) {
            List<Double> pages = new ArrayList<>();
            String cursor = "";
            long start = System.nanoTime();
            long last = start;
            do {
                String next = cursor.isEmpty() ? url : url + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(next))
                        .header("Authorization", "Bearer bench-token").build(), HttpResponse.BodyHandlers.ofInputStream());
                int length;
                try (InputStream body = response.body()) {
                    length = readAll(body, buffer);
                }
                String tail = new String(buffer, Math.max(0, length - 300), Math.min(300, length), StandardCharsets.UTF_8);
                int at = tail.lastIndexOf("\"cursor\":\"");
                cursor = tail.substring(at + 10, tail.indexOf('"', at + 10));
                long now = System.nanoTime();
                pages.add((now - last) / 1e6);
                last = now;
            } while (!cursor.isEmpty());
            System.out.println("{\"client\":\"java-httpclient\",\"total_ms\":" + (System.nanoTime() - start) / 1e6 + ",\"page_ms\":["
                    + pages.stream().map(String::valueOf).collect(Collectors.joining(",")) + "]}");
        }
    }

    /** Reads the whole body into buffer, keeping only its last megabyte if it is longer. */
    private static int readAll(InputStream body, byte[] buffer) throws IOException {
        int length = 0;
        for (int n; (n = body.read(buffer, length, buffer.length - length)) > 0; ) {
            length += n;
            if (length == buffer.length) {
                System.arraycopy(buffer, buffer.length / 2, buffer, 0, buffer.length / 2);
                length = buffer.length / 2;
            }
        }
        return length;
    }
}
