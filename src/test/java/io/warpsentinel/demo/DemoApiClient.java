package io.warpsentinel.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** A plain client of the demo's API on loopback, as a test reads it: each answer as JSON, a listing walked page by page. */
final class DemoApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, JsonNode body) { }

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    DemoApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Answer get(String path) throws Exception {
        return send("GET", path);
    }

    Answer send(String method, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer demo-test").build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    /** The result of each page of a listing ({@code path} with its query), following the cursor to the empty one. */
    List<List<JsonNode>> pages(String path) throws Exception {
        List<List<JsonNode>> pages = new ArrayList<>();
        String cursor = "";
        do {
            Answer answer = get(cursor.isEmpty() ? path : path + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            assertThat(answer.status()).as("%s: %s", path, answer.body()).isEqualTo(200);
            List<JsonNode> page = new ArrayList<>();
            answer.body().get("result").forEach(page::add);
            pages.add(page);
            cursor = answer.body().at("/result_info/cursor").asText();
            assertThat(pages).as("a listing ends").hasSizeLessThan(100_000);
        } while (!cursor.isEmpty());
        return pages;
    }

    /** Every record of a listing. */
    List<JsonNode> all(String path) throws Exception {
        return pages(path).stream().flatMap(List::stream).toList();
    }

    /** An RFC 3339 field as an instant, or null when it is missing, null or not a timestamp. */
    static Instant instant(JsonNode record, String field) {
        JsonNode value = record.path(field);
        if (!value.isTextual() || !value.asText().matches("\\d{4}-.*")) {
            return null;
        }
        return OffsetDateTime.parse(value.asText()).toInstant();
    }
}
