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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback stand-in for Cloudflare's device APIs, serving a {@link DemoFleet} per account id:
 * the registrations (list, get one, and the calls remediation makes: revoke, unrevoke, delete)
 * and the physical devices (list, get one). It behaves as the reference describes where a client
 * can go wrong: bearer token required, {@code status} defaults to {@code active} and
 * {@code active_registrations} to {@code only}, opaque cursors, {@code per_page} capped by the
 * server, an empty cursor on the last page, and the error envelope on bad input.
 */
public final class DemoCloudflareApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCloudflareApi.class);
    /** An account's registrations or physical devices, or one of them (or a registrations' "revoke", "unrevoke"). */
    private static final Pattern PATH = Pattern.compile("/client/v4/accounts/([^/]+)/devices/(registrations|physical-devices)(?:/([^/]+))?/?");
    /** The demo caps pages like a real server may; clients must follow the cursor, not count. */
    static final int MAX_PER_PAGE = 1000;
    private static final int DEFAULT_PER_PAGE = 20;

    static {
        // The JDK server writes an answer's headers apart from its body; with Nagle's algorithm on,
        // the body's last bytes wait for the client's delayed ACK (40 ms on Linux), on every page.
        // Read once, when the JVM's first server starts: only this one and the benchmark's use it.
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
    }

    private final JsonFactory json = new JsonFactory();
    private final Map<String, DemoFleet> fleets = new ConcurrentHashMap<>();
    private final int fleetSize;
    private final Clock clock;
    private final DemoJournal journal;
    private HttpServer server;

    /** Day 0's fleets, the same on every run, nothing kept: the benchmark's and the tests'. */
    public DemoCloudflareApi(int fleetSize, Clock clock) {
        this(fleetSize, clock, DemoJournal.pinned(0));
    }

    /** The fleets of the journal's day, with the changes it holds. */
    DemoCloudflareApi(int fleetSize, Clock clock, DemoJournal journal) {
        this.fleetSize = fleetSize;
        this.clock = clock;
        this.journal = journal;
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
        LOG.debug("Demo Cloudflare API serving {} simulated registrations per account on {}, day {}", fleetSize, baseUrl(), journal.day());
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4";
    }

    /** The fleet of an account as this API serves it (created on first use). */
    public DemoFleet fleet(String accountId) {
        return fleets.computeIfAbsent(accountId, id -> {
            DemoFleet fleet = new DemoFleet(id, fleetSize, clock.instant(), journal.day());
            for (DemoFleet.Change change : journal.changes(id)) {
                try {
                    fleet.apply(change);
                } catch (IllegalArgumentException notThisFleet) {
                    // a change made on a fleet of another size
                    LOG.debug("Demo change not replayed: {}", notThisFleet.getMessage());
                }
            }
            return fleet;
        });
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
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
            if (!path.matches()) {
                error(exchange, 404, 7003, "Could not route to " + exchange.getRequestURI().getPath());
                return;
            }
            String method = exchange.getRequestMethod();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            DemoFleet fleet = fleet(path.group(1));
            String one = path.group(3) == null ? null : URLDecoder.decode(path.group(3), StandardCharsets.UTF_8);
            boolean devices = path.group(2).equals("physical-devices");
            if (devices && method.equals("GET")) {
                if (one == null) {
                    listDevices(exchange, fleet, rawQuery);
                } else {
                    oneDevice(exchange, fleet, one);
                }
            } else if (!devices && method.equals("GET") && one == null) {
                listRegistrations(exchange, fleet, rawQuery);
            } else if (devices) {
                error(exchange, 405, 10405, "Method not allowed");
            } else {
                act(exchange, path.group(1), fleet, method, one);
            }
        }
    }

    private void listRegistrations(HttpExchange exchange, DemoFleet fleet, String rawQuery) throws IOException {
        Map<String, String> query = query(rawQuery);
        String status = query.getOrDefault("status", "active");
        if (!status.equals("active") && !status.equals("all") && !status.equals("revoked")) {
            error(exchange, 400, 1001, "status must be one of active, all, revoked");
            return;
        }
        Page page = page(exchange, query);
        if (page == null) {
            return;
        }
        boolean last = writePage(exchange, page, fleet.size(), (out, index) -> {
            DemoRegistration registration = fleet.registration(index);
            if (registration == null || !status.equals("all") && registration.isRevoked() != status.equals("revoked")) {
                return false;
            }
            fleet.write(out, registration);
            return true;
        });
        if (last) {
            journal.listed();
        }
    }

    private void listDevices(HttpExchange exchange, DemoFleet fleet, String rawQuery) throws IOException {
        Map<String, String> query = query(rawQuery);
        String active = query.getOrDefault("active_registrations", "only");
        if (!active.equals("only") && !active.equals("include") && !active.equals("exclude")) {
            error(exchange, 400, 1001, "active_registrations must be one of only, include, exclude");
            return;
        }
        Page page = page(exchange, query);
        if (page == null) {
            return;
        }
        DemoDevices devices = new DemoDevices(fleet);
        // with ids, the page walks the devices asked for (in the fleet's order), not the whole fleet
        List<String> ids = ids(rawQuery);
        boolean filtered = !ids.isEmpty();
        int[] asked = ids.stream().mapToInt(devices::indexOf).filter(slot -> slot >= 0).sorted().distinct().toArray();
        writePage(exchange, page, filtered ? asked.length : devices.size(), (out, position) -> {
            int device = filtered ? asked[position] : position;
            if (!devices.isDevice(device)) {
                return false;
            }
            List<DemoRegistration> registrations = devices.registrations(device);
            int count = DemoDevices.active(registrations);
            if (active.equals("only") && count == 0 || active.equals("exclude") && count > 0) {
                return false;
            }
            devices.write(out, device, registrations);
            return true;
        });
    }

    private void oneDevice(HttpExchange exchange, DemoFleet fleet, String id) throws IOException {
        DemoDevices devices = new DemoDevices(fleet);
        int device = devices.indexOf(id);
        if (device < 0) {
            error(exchange, 404, 1004, "Device not found");
            return;
        }
        result(exchange, out -> devices.write(out, device, devices.registrations(device)));
    }

    /** The calls of remediation (API-NOTES.md, "Acting on registrations"), on the demo's fleets. */
    private void act(HttpExchange exchange, String account, DemoFleet fleet, String method, String one) throws IOException {
        boolean list = one == null || one.equals("revoke") || one.equals("unrevoke");
        if (list) {
            List<Integer> indexes = new ArrayList<>();
            for (String id : ids(exchange.getRequestURI().getRawQuery())) {
                int index = fleet.indexOf(id);
                if (index >= 0) {
                    indexes.add(index);
                }
            }
            switch (method + " " + (one == null ? "" : one)) {
                case "DELETE " -> indexes.forEach(index -> journal.record(account, fleet.delete(index, clock.instant())));
                case "POST revoke" -> indexes.forEach(index -> journal.record(account, fleet.revoke(index, clock.instant())));
                case "POST unrevoke" -> indexes.forEach(index -> journal.record(account, fleet.unrevoke(index)));
                default -> {
                    error(exchange, 405, 10405, "Method not allowed");
                    return;
                }
            }
            result(exchange, null);
            return;
        }
        int index = fleet.indexOf(one);
        if (index < 0) {
            error(exchange, 404, 1004, "Registration not found");
        } else if (method.equals("GET")) {
            result(exchange, out -> fleet.write(out, index));
        } else if (method.equals("DELETE")) {
            journal.record(account, fleet.delete(index, clock.instant()));
            result(exchange, null);
        } else {
            error(exchange, 405, 10405, "Method not allowed");
        }
    }

    /** Writes one record of a page or a result. */
    private interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    /** Writes the record at an index of a listing if the request's filters keep it, and says whether it did. */
    private interface Entry {
        boolean write(JsonGenerator out, int index) throws IOException;
    }

    /** Where a page starts and how many it holds at most. */
    private record Page(int offset, int perPage) { }

    private Page page(HttpExchange exchange, Map<String, String> query) throws IOException {
        try {
            int perPage = Math.min(MAX_PER_PAGE, Integer.parseInt(query.getOrDefault("per_page", "" + DEFAULT_PER_PAGE)));
            return new Page(query.containsKey("cursor") ? decodeCursor(query.get("cursor")) : 0, Math.max(1, perPage));
        } catch (IllegalArgumentException e) {
            error(exchange, 400, 1002, "invalid per_page or cursor");
            return null;
        }
    }

    /** A success envelope whose result is what {@code writer} writes, or null. */
    private void result(HttpExchange exchange, Writer writer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (JsonGenerator out = json.createGenerator(exchange.getResponseBody(), JsonEncoding.UTF8)) {
            startSuccess(out);
            out.writeFieldName("result");
            if (writer == null) {
                out.writeNull();
            } else {
                writer.write(out);
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

    /** A page of the listing of {@code size} indexes from the page's offset; true when it is the last. */
    private boolean writePage(HttpExchange exchange, Page page, int size, Entry entry) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        int index = page.offset();
        try (OutputStream body = exchange.getResponseBody(); JsonGenerator out = json.createGenerator(body, JsonEncoding.UTF8)) {
            startSuccess(out);
            out.writeArrayFieldStart("result");
            int count = 0;
            for (; index < size && count < page.perPage(); index++) {
                if (entry.write(out, index)) {
                    count++;
                }
            }
            out.writeEndArray();
            out.writeObjectFieldStart("result_info");
            out.writeNumberField("count", count);
            out.writeStringField("cursor", index < size ? encodeCursor(index) : "");
            out.writeNumberField("per_page", page.perPage());
            out.writeNullField("total_count");
            out.writeEndObject();
            out.writeEndObject();
        }
        return index >= size;
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

    /** The values of the repeated {@code id} parameter. */
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
