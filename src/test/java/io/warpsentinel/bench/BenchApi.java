package io.warpsentinel.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.warpsentinel.demo.DemoCloudflareApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's Cloudflare: every page of the benchmark accounts' registrations and physical
 * devices rendered once by the demo API on day 0 (the one home of the fleet and the page format),
 * then served from memory by a server of its own, so each client measured reads the same bytes and
 * none pays for the generator.
 *
 * <p>Each answer has a Content-Length and its body leaves in one write, on a socket with
 * TCP_NODELAY: the JDK server sends the headers in a write of their own, and with Nagle's
 * algorithm on, the end of a body can wait for the client's delayed ACK (up to 40 ms on Linux),
 * a stall the client would be blamed for. {@code -Dsun.net.httpserver.nodelay=false} brings that
 * back, to measure it. bench/node/api.mjs serves the same bytes from Node.js, to check the
 * figures against a second server.
 *
 * <p>Usage: BenchApi FLEET_SIZE PORT PER_PAGE ACCOUNTS [DELAY_MS] [NOW]: ACCOUNTS
 * comma-separated; DELAY_MS waited before each page (a slow API); NOW the fleet's "now"
 * (ISO-8601, default this second).
 */
public final class BenchApi {

    private static final Pattern PATH = Pattern.compile("/client/v4/accounts/([^/]+)/devices/(registrations|physical-devices)/?");
    /** The one filter each listing is served with: every registration, every device (those without an active registration too). */
    private static final Map<String, String> FILTERS = Map.of("registrations", "status=all", "physical-devices", "active_registrations=include");
    private static final byte[] UNAUTHORIZED = envelope(10000, "Authentication error");

    public static void main(String[] args) throws Exception {
        // read once, when the first server starts: before the demo's
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
        int size = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        int perPage = Math.max(1, Math.min(1000, Integer.parseInt(args[2])));
        String[] accounts = args[3].split(",");
        long delayMs = args.length > 4 ? Long.parseLong(args[4]) : 0;
        Instant now = args.length > 5 ? Instant.parse(args[5]) : Instant.now().truncatedTo(ChronoUnit.SECONDS);

        Map<String, byte[]> pages = new HashMap<>();
        try (DemoCloudflareApi demo = new DemoCloudflareApi(size, Clock.fixed(now, ZoneOffset.UTC)).start(0)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (String account : accounts) {
                for (Map.Entry<String, String> listing : FILTERS.entrySet()) {
                    String url = demo.baseUrl() + "/accounts/" + account + "/devices/" + listing.getKey() + "?" + listing.getValue()
                            + "&per_page=" + perPage;
                    String cursor = "";
                    do {
                        String next = cursor.isEmpty() ? url : url + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
                        byte[] body = http.send(HttpRequest.newBuilder(URI.create(next)).header("Authorization", "Bearer warm-up").build(),
                                HttpResponse.BodyHandlers.ofByteArray()).body();
                        pages.put(account + "|" + listing.getKey() + "|" + cursor, body);
                        String text = new String(body, Math.max(0, body.length - 300), Math.min(300, body.length), StandardCharsets.UTF_8);
                        int at = text.lastIndexOf("\"cursor\":\"");
                        cursor = text.substring(at + 10, text.indexOf('"', at + 10));
                    } while (!cursor.isEmpty());
                }
            }
        }

        byte[] notServed = envelope(7003, "The benchmark API serves registrations with status=all and physical devices with "
                + "active_registrations=include, per_page=" + perPage + " and the cursors it issued, for its accounts only");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        // a thread per waiting answer: the slow API's clients ask side by side
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/client/v4/", exchange -> {
            try (exchange) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
                    send(exchange, 401, UNAUTHORIZED);
                    return;
                }
                byte[] page = pages.get(key(exchange, perPage));
                if (page == null) {
                    send(exchange, 404, notServed);
                    return;
                }
                if (delayMs > 0) {
                    try {
                        Thread.sleep(delayMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                send(exchange, 200, page);
            }
        });
        server.start();
        System.out.println("READY http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4 " + pages.size() + " pages");
        Thread.currentThread().join();
    }

    /** {@code account|listing|cursor} of a list request this server can answer, else null. */
    private static String key(HttpExchange exchange, int perPage) {
        Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
        if (!exchange.getRequestMethod().equals("GET") || !path.matches()) {
            return null;
        }
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String[] filter = FILTERS.get(path.group(2)).split("=");
        boolean served = filter[1].equals(query.get(filter[0])) && String.valueOf(perPage).equals(query.get("per_page"));
        return served ? path.group(1) + "|" + path.group(2) + "|" + query.getOrDefault("cursor", "") : null;
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static byte[] envelope(int code, String message) {
        return ("{\"success\":false,\"errors\":[{\"code\":" + code + ",\"message\":\"" + message
                + "\"}],\"messages\":[],\"result\":null}").getBytes(StandardCharsets.UTF_8);
    }
}
