package io.warpsentinel.bench;

import io.warpsentinel.demo.DemoCloudflareApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;

/**
 * The benchmark's Cloudflare: the demo API in its own process, with every page of the benchmark
 * account rendered once before it says READY, so each client measured reads the same bytes and
 * none pays for the generator. Usage: BenchApi FLEET_SIZE PORT PER_PAGE ACCOUNT
 */
public final class BenchApi {

    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        int perPage = Integer.parseInt(args[2]);
        String account = args[3];
        DemoCloudflareApi api = new DemoCloudflareApi(size, Clock.systemUTC(), true).start(port);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String url = api.baseUrl() + "/accounts/" + account + "/devices/registrations?status=all&per_page=" + perPage;
        String cursor = "";
        int pages = 0;
        do {
            String next = url + (cursor.isEmpty() ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
            String body = http.send(HttpRequest.newBuilder(URI.create(next)).header("Authorization", "Bearer warm-up").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            int at = body.lastIndexOf("\"cursor\":\"");
            cursor = body.substring(at + 10, body.indexOf('"', at + 10));
            pages++;
        } while (!cursor.isEmpty());
        System.out.println("READY " + api.baseUrl() + " " + pages + " pages");
        Thread.currentThread().join();
    }
}
