package io.warpsentinel.demo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback stand-in for Cloudflare's "List registrations" endpoint, serving a {@link DemoFleet}
 * per account id, and for the calls remediation makes (get one, revoke, unrevoke, delete). It behaves as the reference describes where a client can go wrong: bearer
 * token required, {@code status} defaults to {@code active}, opaque cursors, {@code per_page}
 * capped by the server, an empty cursor on the last page, and the error envelope on bad input.
 */
public final class DemoCloudflareApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCloudflareApi.class);
    private static final Pattern PATH = Pattern.compile("/client/v4/accounts/([^/]+)/devices/registrations/?");
    /** One registration (GET, DELETE), or the revoke and unrevoke of a list (POST). */
    private static final Pattern ONE = Pattern.compile("/client/v4/accounts/([^/]+)/devices/registrations/([^/]+)");
    /** The demo caps pages like a real server may; clients must follow the cursor, not count. */
    static final int MAX_PER_PAGE = 1000;
    private static final int DEFAULT_PER_PAGE = 20;

    private final JsonFactory json = new JsonFactory();
    private final Map<String, DemoFleet> fleets = new ConcurrentHashMap<>();
    private final int fleetSize;
    private final Clock clock;
    /** Rendered pages by account, filters and offset, when pages are kept (the benchmark's server). */
    private final Map<String, byte[]> pageCache;
    private HttpServer server;

    public DemoCloudflareApi(int fleetSize, Clock clock) {
        this(fleetSize, clock, false);
    }

    /**
     * @param keepPages keep each page once rendered and serve the same bytes again: a benchmark
     *                  then measures its clients, not this generator
     */
    public DemoCloudflareApi(int fleetSize, Clock clock, boolean keepPages) {
        this.fleetSize = fleetSize;
        this.clock = clock;
        this.pageCache = keepPages ? new ConcurrentHashMap<>() : null;
    }

    /** Starts serving on 127.0.0.1; port 0 picks a free one. */
    public DemoCloudflareApi start(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "demo-cloudflare-api");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/client/v4/", this::handle);
        server.start();
        LOG.debug("Demo Cloudflare API serving {} simulated registrations per account on {}", fleetSize, baseUrl());
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4";
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
                error(exchange, 401, 10000, "Authentication error");
                return;
            }
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            String method = exchange.getRequestMethod();
            if (!path.matches() || !method.equals("GET")) {
                act(exchange, method, path.matches() ? path.group(1) : null);
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String status = query.getOrDefault("status", "active");
            if (!status.equals("active") && !status.equals("all") && !status.equals("revoked")) {
                error(exchange, 400, 1001, "status must be one of active, all, revoked");
                return;
            }
            int perPage;
            int offset;
            try {
                perPage = Math.min(MAX_PER_PAGE, Integer.parseInt(query.getOrDefault("per_page", "" + DEFAULT_PER_PAGE)));
                offset = query.containsKey("cursor") ? decodeCursor(query.get("cursor")) : 0;
            } catch (IllegalArgumentException e) {
                error(exchange, 400, 1002, "invalid per_page or cursor");
                return;
            }
            DemoFleet fleet = fleets.computeIfAbsent(path.group(1), id -> new DemoFleet(id, fleetSize, clock.instant()));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            int pageSize = Math.max(1, perPage);
            if (pageCache == null) {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream body = exchange.getResponseBody()) {
                    writePage(body, fleet, status, pageSize, offset);
                }
                return;
            }
            byte[] page = pageCache.computeIfAbsent(path.group(1) + "|" + status + "|" + pageSize + "|" + offset, key -> {
                var bytes = new java.io.ByteArrayOutputStream(pageSize * 700);
                try {
                    writePage(bytes, fleet, status, pageSize, offset);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return bytes.toByteArray();
            });
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        }
    }

    /** The calls of remediation (API-NOTES.md, "Acting on registrations"), on the demo's fleets. */
    private void act(HttpExchange exchange, String method, String bulkAccount) throws IOException {
        Matcher one = ONE.matcher(exchange.getRequestURI().getPath());
        String account = bulkAccount != null ? bulkAccount : one.matches() ? one.group(1) : null;
        DemoFleet fleet = account == null ? null : fleets.computeIfAbsent(account, id -> new DemoFleet(id, fleetSize, clock.instant()));
        if (fleet == null) {
            error(exchange, 404, 7003, "Could not route to " + exchange.getRequestURI().getPath());
            return;
        }
        String verb = bulkAccount != null ? "" : one.group(2);
        boolean list = bulkAccount != null || verb.equals("revoke") || verb.equals("unrevoke");
        if (list) {
            List<Integer> indexes = new ArrayList<>();
            for (String id : ids(exchange.getRequestURI().getRawQuery())) {
                int index = fleet.indexOf(id);
                if (index >= 0) {
                    indexes.add(index);
                }
            }
            switch (method + " " + verb) {
                case "DELETE " -> indexes.forEach(fleet::delete);
                case "POST revoke" -> indexes.forEach(index -> fleet.revoke(index, clock.instant()));
                case "POST unrevoke" -> indexes.forEach(fleet::unrevoke);
                default -> {
                    error(exchange, 405, 10405, "Method not allowed");
                    return;
                }
            }
            result(exchange, fleet, -1);
            return;
        }
        int index = fleet.indexOf(URLDecoder.decode(verb, StandardCharsets.UTF_8));
        if (index < 0) {
            error(exchange, 404, 1004, "Registration not found");
        } else if (method.equals("GET")) {
            result(exchange, fleet, index);
        } else if (method.equals("DELETE")) {
            fleet.delete(index);
            result(exchange, fleet, -1);
        } else {
            error(exchange, 405, 10405, "Method not allowed");
        }
    }

    /** A success envelope whose result is the registration at {@code index}, or null for -1. */
    private void result(HttpExchange exchange, DemoFleet fleet, int index) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (JsonGenerator out = json.createGenerator(exchange.getResponseBody(), JsonEncoding.UTF8)) {
            startSuccess(out);
            out.writeFieldName("result");
            if (index < 0) {
                out.writeNull();
            } else {
                fleet.write(out, index);
            }
            out.writeEndObject();
        }
    }

    /** {@code {"success":true,"errors":[],"messages":[]}}, left open for the result. */
    private static void startSuccess(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeBooleanField("success", true);
        out.writeArrayFieldStart("errors");
        out.writeEndArray();
        out.writeArrayFieldStart("messages");
        out.writeEndArray();
    }

    private static List<String> ids(String rawQuery) {
        List<String> ids = new ArrayList<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.startsWith("id=")) {
                    ids.add(URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8));
                }
            }
        }
        return ids;
    }

    private void writePage(OutputStream body, DemoFleet fleet, String status, int perPage, int offset) throws IOException {
        try (JsonGenerator out = json.createGenerator(body, JsonEncoding.UTF8)) {
            startSuccess(out);
            out.writeArrayFieldStart("result");
            int index = offset;
            int count = 0;
            for (; index < fleet.size() && count < perPage; index++) {
                boolean revoked = fleet.isRevoked(index);
                if (!fleet.isDeleted(index) && (status.equals("all") || revoked == status.equals("revoked"))) {
                    fleet.write(out, index);
                    count++;
                }
            }
            out.writeEndArray();
            out.writeObjectFieldStart("result_info");
            out.writeNumberField("count", count);
            out.writeStringField("cursor", index < fleet.size() ? encodeCursor(index) : "");
            out.writeNumberField("per_page", perPage);
            out.writeNullField("total_count");
            out.writeEndObject();
            out.writeEndObject();
        }
    }

    private void error(HttpExchange exchange, int httpStatus, int code, String message) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(httpStatus, 0);
        try (JsonGenerator out = json.createGenerator(exchange.getResponseBody(), JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeBooleanField("success", false);
            out.writeArrayFieldStart("errors");
            out.writeStartObject();
            out.writeNumberField("code", code);
            out.writeStringField("message", message);
            out.writeEndObject();
            out.writeEndArray();
            out.writeArrayFieldStart("messages");
            out.writeEndArray();
            out.writeNullField("result");
            out.writeEndObject();
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    // Opaque to clients, like Cloudflare's: base64 with '+', '/' and '=' so that a client that
    // forgets to URL-encode the cursor breaks here rather than in production.
    private static String encodeCursor(int offset) {
        return Base64.getEncoder().encodeToString(("demo-offset:" + offset + ":~~~").getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeCursor(String cursor) {
        String text = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!text.startsWith("demo-offset:")) {
            throw new IllegalArgumentException("not a demo cursor");
        }
        return Integer.parseInt(text.substring("demo-offset:".length(), text.lastIndexOf(':')));
    }
}
