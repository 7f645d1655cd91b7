package io.warpsentinel;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A real Prometheus Pushgateway (Debian's prometheus-pushgateway) on a free loopback port, for one
 * test class, asking for basic auth as one behind a proxy would. Skipped without the program on a
 * developer's machine, never on CI.
 */
final class Pushgateway implements AutoCloseable {

    static final String USER = "pusher";
    static final String PASSWORD = "push-test-password-0123";
    // bcrypt of PASSWORD, as the Pushgateway's web configuration takes it: htpasswd -nbBC 10 pusher push-test-password-0123
    private static final String PASSWORD_HASH = "$2y$10$pIhg9msxQbOmZgO2RlV5iu4JMbLjOqhJYa4QD03ehL0iXGYG4F2WK";

    private final Process process;
    private final Path folder;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private Pushgateway(Process process, Path folder, int port) {
        this.process = process;
        this.folder = folder;
        this.port = port;
    }

    static Pushgateway start() throws Exception {
        Path program = TestTools.require("prometheus-pushgateway", "prometheus-pushgateway", "pushgateway");
        Path folder = Files.createTempDirectory("pushgateway");
        Path webConfig = Files.writeString(folder.resolve("web.yml"), "basic_auth_users:\n  " + USER + ": " + PASSWORD_HASH + "\n");
        int port = PackagedJar.freePort();
        // no persistence file: Debian's default is the system's own /var/lib/prometheus
        Process process = new ProcessBuilder(program.toString(), "--web.listen-address=127.0.0.1:" + port, "--persistence.file=",
                "--web.config.file=" + webConfig).redirectErrorStream(true).redirectOutput(folder.resolve("pushgateway.log").toFile()).start();
        Pushgateway pushgateway = new Pushgateway(process, folder, port);
        await("the Pushgateway ready on port " + port).atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> pushgateway.get("/-/ready").statusCode() == 200);
        return pushgateway;
    }

    int port() {
        return port;
    }

    /** Its URL as sentinel.metrics.push-url takes it, with the credentials it asks for. */
    String pushUrl() {
        return pushUrl(port);
    }

    /** The same for a loopback port that leads to it (a proxy). */
    static String pushUrl(int port) {
        return "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port;
    }

    /** The samples it serves to Prometheus of one group (job and instance), as text lines. */
    List<String> group(String job, String instance) throws Exception {
        List<String> samples = new ArrayList<>();
        for (String line : get("/metrics").body().lines().toList()) {
            if (!line.startsWith("#") && line.contains("job=\"" + job + "\"") && line.contains("instance=\"" + instance + "\"")) {
                samples.add(line);
            }
        }
        return samples;
    }

    /** Replaces a group with {@code metrics} (Prometheus' text format), as another client would. */
    void put(String job, String instance, String metrics) throws Exception {
        HttpResponse<String> answer = send(request(groupPath(job, instance)).PUT(HttpRequest.BodyPublishers.ofString(metrics)));
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("the Pushgateway refused the test's push: " + answer.statusCode() + " " + answer.body());
        }
    }

    void delete(String job, String instance) throws Exception {
        send(request(groupPath(job, instance)).DELETE());
    }

    private static String groupPath(String job, String instance) {
        return "/metrics/job/" + job + "/instance/" + instance;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    private HttpRequest.Builder request(String path) {
        String credentials = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Basic " + credentials);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor();
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
    }
}
