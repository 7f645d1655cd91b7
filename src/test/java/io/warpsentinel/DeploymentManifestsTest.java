package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.warpsentinel.operate.MetricsPush;
import io.warpsentinel.report.ReportSettings;
import io.warpsentinel.scan.ScanSettings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronExpression;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The recipes under deploy/ (the image, the Kubernetes manifests, the systemd units) set only
 * settings the application has, keep what it writes on a volume, probe the port and paths it
 * serves, and scan when the service would by default. The settings, their environment variables
 * and the management port are read from application.properties, the default schedule from its
 * declaration, the launcher's variables from bin/warp-sentinel: a renamed setting, a moved port or
 * a new default time fails here, not in a cluster.
 */
class DeploymentManifestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path DOCKERFILE = Path.of("deploy/Dockerfile");
    private static final Path SYSTEMD = Path.of("deploy/systemd");
    private static final Path LAUNCHER = Path.of("bin/warp-sentinel");
    private static final String INSTALLED_LAUNCHER = "/opt/warp-sentinel/bin/warp-sentinel";
    private static final Path HEALTH_CHECK = Path.of("bin/warp-sentinel-health");
    private static final String INSTALLED_HEALTH_CHECK = "/opt/warp-sentinel/bin/warp-sentinel-health";
    private static final Path PROFILES = Path.of("src/main/resources");

    private static final String LIVENESS = "/observe/health/live";
    private static final String READINESS = "/observe/health/ready";
    private static final String METRICS = "/observe/metrics";

    /** Read by the application without being keys of application.properties (docs/configuration.md). */
    private static final Set<String> ALIASES = Set.of("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_WRITE_TOKEN", "CLOUDFLARE_ACCOUNT_IDS",
            "CLOUDFLARE_ACCOUNT_ID", "LOG_FORMAT", "LOG_LEVEL", "LOG_CAMEL");
    /** The variables whose value must never be written in a manifest, only referenced from a Secret. */
    private static final Pattern SECRET_VARIABLE = Pattern.compile(".*(?:_TOKEN|_PASSWORD)");
    /** What the application writes, besides its working directory, by the variables that move it. */
    private static final List<String> WRITTEN = List.of("SENTINEL_REPORT_DIR", "SENTINEL_DEAD_LETTER_DIR", "WARP_SENTINEL_CACHE_DIR");

    private static final Properties DEFAULTS = properties(Path.of("application.properties"));
    private static final int MANAGEMENT_PORT = Integer.parseInt(DEFAULTS.getProperty("camel.management.port"));

    /** One YAML document of a file under deploy/kubernetes. */
    private record Manifest(Path file, JsonNode doc) {

        String kind() {
            return doc.path("kind").asText();
        }

        String name() {
            return doc.at("/metadata/name").asText();
        }

        @Override
        public String toString() {
            return file + " " + kind() + " " + name();
        }
    }

    /** A container of a workload, with the pod spec around it. */
    private record Container(Manifest workload, JsonNode pod, JsonNode spec) {

        @Override
        public String toString() {
            return workload + " container " + spec.path("name").asText();
        }
    }

    /** What deploy/Dockerfile declares about the image's run time; copied: path in the image → file of the build context. */
    private record Image(Map<String, String> env, String workdir, List<String> volumes, List<String> exposed, String healthcheck, String entrypoint,
            Map<String, String> copied) {
    }

    private static Properties properties(Path file) {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The environment variable of a key, as the application reads it (sentinel.report.dir → SENTINEL_REPORT_DIR). */
    private static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Set<String> knownVariables() throws IOException {
        Set<String> known = new TreeSet<>(ALIASES);
        DEFAULTS.stringPropertyNames().forEach(key -> known.add(variableOf(key)));
        Matcher launcher = Pattern.compile("\\b(?:WARP_SENTINEL_[A-Z_]+|JAVA_OPTS)\\b").matcher(Files.readString(LAUNCHER));
        while (launcher.find()) {
            known.add(launcher.group());
        }
        return known;
    }

    private static void assertOnlyKnownVariables(Object where, Set<String> names) throws IOException {
        assertThat(names).as("the variables %s sets", where).isNotEmpty();
        Set<String> unknown = new TreeSet<>(names);
        unknown.removeAll(knownVariables());
        assertThat(unknown).as("variables %s sets that are neither a key of application.properties (upper case, '.' and '-' as '_'), "
                + "nor a launcher variable of bin/warp-sentinel, nor one of %s", where, ALIASES).isEmpty();
    }

    private static List<Manifest> manifests() throws IOException {
        Load yaml = new Load(LoadSettings.builder().build());
        List<Manifest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                for (Object doc : yaml.loadAllFromString(Files.readString(file))) {
                    if (doc != null) {
                        manifests.add(new Manifest(file, JSON.valueToTree(doc)));
                    }
                }
            }
        }
        assertThat(manifests).as("manifests under %s", KUBERNETES).isNotEmpty();
        return manifests;
    }

    private static List<Manifest> manifests(String kind) throws IOException {
        return manifests().stream().filter(m -> m.kind().equals(kind)).toList();
    }

    private static JsonNode podSpec(Manifest manifest) {
        return switch (manifest.kind()) {
            case "CronJob" -> manifest.doc().at("/spec/jobTemplate/spec/template/spec");
            case "Deployment", "StatefulSet", "DaemonSet", "Job" -> manifest.doc().at("/spec/template/spec");
            case "Pod" -> manifest.doc().path("spec");
            default -> MissingNode.getInstance();
        };
    }

    private static List<Container> containers() throws IOException {
        List<Container> containers = new ArrayList<>();
        for (Manifest manifest : manifests()) {
            JsonNode pod = podSpec(manifest);
            for (String list : List.of("initContainers", "containers")) {
                pod.path(list).forEach(container -> containers.add(new Container(manifest, pod, container)));
            }
        }
        assertThat(containers).as("containers under %s", KUBERNETES).isNotEmpty();
        return containers;
    }

    /** The ConfigMap or Secret of that kind and name under deploy/kubernetes, in the workload's folder or above it. */
    private static JsonNode source(Manifest workload, String kind, String name) throws IOException {
        return manifests().stream()
                .filter(m -> m.kind().equals(kind) && m.name().equals(name) && workload.file().startsWith(m.file().getParent()))
                .map(Manifest::doc).findFirst().orElse(MissingNode.getInstance());
    }

    /** Variable → value as the container sees it, the image's ENV first; a value taken from a Secret is null. */
    private static Map<String, String> environment(Container container, Image image) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(image.env());
        for (JsonNode from : container.spec().path("envFrom")) {
            JsonNode configMap = source(container.workload(), "ConfigMap", from.at("/configMapRef/name").asText());
            configMap.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            JsonNode secret = source(container.workload(), "Secret", from.at("/secretRef/name").asText());
            secret.path("stringData").properties().forEach(e -> env.put(e.getKey(), null));
            secret.path("data").properties().forEach(e -> env.put(e.getKey(), null));
        }
        for (JsonNode variable : container.spec().path("env")) {
            env.put(variable.path("name").asText(), variable.has("value") ? variable.path("value").asText() : null);
        }
        return env;
    }

    private static Image image() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        String workdir = "/";
        List<String> volumes = new ArrayList<>();
        List<String> exposed = new ArrayList<>();
        String healthcheck = "";
        String entrypoint = "";
        Map<String, String> copied = new LinkedHashMap<>();
        // instructions continue over lines ending in a backslash; comment lines inside them are dropped
        String text = Files.readString(DOCKERFILE).replaceAll("(?m)^\\s*#.*\\n", "").replaceAll("\\\\\\n", " ");
        for (String line : text.split("\n")) {
            String[] parts = line.strip().split("\\s+", 2);
            if (parts.length < 2) {
                continue;
            }
            String arguments = parts[1].strip();
            switch (parts[0].toUpperCase(Locale.ROOT)) {
                case "ENV" -> {
                    Matcher pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)").matcher(arguments);
                    boolean any = false;
                    while (pair.find()) {
                        env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
                        any = true;
                    }
                    if (!any) {
                        String[] legacy = arguments.split("\\s+", 2);
                        env.put(legacy[0], legacy.length > 1 ? legacy[1] : "");
                    }
                }
                case "WORKDIR" -> workdir = Path.of(workdir).resolve(arguments).normalize().toString();
                case "VOLUME" -> volumes.addAll(List.of(arguments.replaceAll("[\\[\\]\",]", " ").strip().split("\\s+")));
                case "EXPOSE" -> exposed.addAll(List.of(arguments.split("\\s+")));
                case "HEALTHCHECK" -> healthcheck = arguments;
                case "ENTRYPOINT" -> entrypoint = arguments;
                case "COPY" -> {
                    List<String> paths = List.of(arguments.split("\\s+"));
                    String target = paths.get(paths.size() - 1);
                    for (String source : paths.subList(0, paths.size() - 1)) {
                        copied.put(target.endsWith("/") ? target + Path.of(source).getFileName() : target, source);
                    }
                }
                default -> {
                }
            }
        }
        return new Image(env, workdir, volumes, exposed, healthcheck, entrypoint, copied);
    }

    /** The port a probe or a Service's targetPort names: a number, or the name of one of the container's ports. */
    private static int port(JsonNode port, JsonNode container) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container.path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no port named " + port + " in " + container);
    }

    private static boolean isUnder(String path, String folder) {
        return Path.of(path).normalize().startsWith(Path.of(folder).normalize());
    }

    @Test
    void everyVariableTheManifestsSetIsASettingOrOneTheLauncherOrTheLogsRead() throws Exception {
        Image none = new Image(Map.of(), "/", List.of(), List.of(), "", "", Map.of());
        for (Container container : containers()) {
            assertOnlyKnownVariables(container, environment(container, none).keySet());
        }
    }

    @Test
    void theImageSetsOnlySettingsAndLauncherVariables() throws Exception {
        assertOnlyKnownVariables(DOCKERFILE, image().env().keySet());
    }

    @Test
    void theImageKeepsWhatTheApplicationWritesOnItsVolumeAndStartsTheLauncher() throws Exception {
        Image image = image();
        assertThat(image.volumes()).as("VOLUME").hasSize(1);
        String volume = image.volumes().get(0);
        assertThat(image.workdir()).as("WORKDIR: relative defaults such as dead-letters land on the volume").isEqualTo(volume);
        for (String variable : WRITTEN) {
            assertThat(image.env()).as("ENV").containsKey(variable);
            assertThat(isUnder(image.env().get(variable), volume)).as("%s=%s is under VOLUME %s", variable, image.env().get(variable), volume).isTrue();
        }
        assertThat(image.entrypoint()).contains(INSTALLED_LAUNCHER);
    }

    @Test
    void theImageHealthCheckAsksTheManagementPortForLivenessAndKnowsWhichProfilesRunOnce() throws Exception {
        Image image = image();
        assertThat(image.exposed()).as("EXPOSE").containsExactly(String.valueOf(MANAGEMENT_PORT));
        assertThat(image.healthcheck()).as("HEALTHCHECK").contains("CMD [\"" + INSTALLED_HEALTH_CHECK + "\"]");
        assertThat(image.copied()).as("COPY").containsEntry(INSTALLED_HEALTH_CHECK, HEALTH_CHECK.toString())
                .containsEntry(INSTALLED_LAUNCHER, LAUNCHER.toString());

        String script = Files.readString(HEALTH_CHECK);
        Matcher port = Pattern.compile("setting camel\\.management\\.port (\\d+)").matcher(script);
        assertThat(port.find()).as("%s reads camel.management.port with a default", HEALTH_CHECK).isTrue();
        assertThat(Integer.parseInt(port.group(1))).as("the health check's default port").isEqualTo(MANAGEMENT_PORT);
        assertThat(script).contains("GET " + LIVENESS + " ");
        Matcher listed = Pattern.compile("(?m)^run_once_profiles=\\(([^)]*)\\)").matcher(script);
        assertThat(listed.find()).as("%s lists the profiles that run once", HEALTH_CHECK).isTrue();
        Set<String> runOnce = new TreeSet<>();
        try (Stream<Path> files = Files.list(PROFILES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("application-.+\\.properties")).toList()) {
                if (Boolean.parseBoolean(properties(file).getProperty("sentinel.once", "false").strip())) {
                    runOnce.add(file.getFileName().toString().replaceAll("^application-|\\.properties$", ""));
                }
            }
        }
        assertThat(new TreeSet<>(List.of(listed.group(1).strip().split("\\s+")))).as("the profiles whose properties set sentinel.once=true")
                .isEqualTo(runOnce);
    }

    @Test
    void probesAskTheManagementPortForLivenessAndReadiness() throws Exception {
        int probed = 0;
        for (Container container : containers()) {
            JsonNode spec = container.spec();
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                if (spec.has(probe)) {
                    JsonNode http = spec.path(probe).path("httpGet");
                    assertThat(port(http.path("port"), spec)).as("%s %s port", container, probe).isEqualTo(MANAGEMENT_PORT);
                    assertThat(http.path("path").asText()).as("%s %s path", container, probe).isEqualTo(probe.equals("readinessProbe") ? READINESS : LIVENESS);
                }
            }
            if (container.workload().kind().equals("Deployment")) {
                assertThat(spec.has("livenessProbe") && spec.has("readinessProbe")).as("%s has liveness and readiness probes", container).isTrue();
                probed++;
            }
        }
        assertThat(probed).as("containers of Deployments").isPositive();
    }

    @Test
    void theMetricsServiceTellsPrometheusTheManagementPortAndPath() throws Exception {
        List<Manifest> services = manifests("Service");
        assertThat(services).isNotEmpty();
        for (Manifest service : services) {
            JsonNode annotations = service.doc().at("/metadata/annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).as("%s prometheus.io/scrape", service).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/port").asText()).as("%s prometheus.io/port", service).isEqualTo(String.valueOf(MANAGEMENT_PORT));
            assertThat(annotations.path("prometheus.io/path").asText()).as("%s prometheus.io/path", service).isEqualTo(METRICS);
            JsonNode selector = service.doc().at("/spec/selector");
            List<Container> selected = new ArrayList<>();
            for (Container container : containers()) {
                JsonNode labels = container.workload().doc().at(container.workload().kind().equals("CronJob")
                        ? "/spec/jobTemplate/spec/template/metadata/labels" : "/spec/template/metadata/labels");
                List<String> mismatched = new ArrayList<>();
                selector.properties().forEach(e -> {
                    if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
                        mismatched.add(e.getKey());
                    }
                });
                if (mismatched.isEmpty() && container.spec().has("ports")) {
                    selected.add(container);
                }
            }
            assertThat(selected).as("containers with ports that %s selects", service).isNotEmpty();
            for (JsonNode port : service.doc().at("/spec/ports")) {
                assertThat(port.path("port").asInt()).as("%s port", service).isEqualTo(MANAGEMENT_PORT);
                for (Container container : selected) {
                    assertThat(port(port.has("targetPort") ? port.path("targetPort") : port.path("port"), container.spec()))
                            .as("%s targetPort in %s", service, container).isEqualTo(MANAGEMENT_PORT);
                }
            }
        }
    }

    @Test
    void theServiceMonitorScrapesTheMetricsServiceAsTheJobTheAlertRulesAndThePushSelect() throws Exception {
        Matcher up = Pattern.compile("up\\{job=\"([^\"]+)\"").matcher(Files.readString(AlertRulesTest.RULES));
        assertThat(up.find()).as("%s selects up{job=...}", AlertRulesTest.RULES).isTrue();
        String job = up.group(1);
        assertThat(MetricsPush.JOB).as("the push's job, which the rules select too").isEqualTo(job);
        List<Manifest> monitors = manifests("ServiceMonitor");
        assertThat(monitors).isNotEmpty();
        for (Manifest monitor : monitors) {
            JsonNode spec = monitor.doc().path("spec");
            List<Manifest> selected = manifests("Service").stream().filter(service -> {
                JsonNode labels = service.doc().at("/metadata/labels");
                List<String> mismatched = new ArrayList<>();
                spec.at("/selector/matchLabels").properties().forEach(e -> {
                    if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
                        mismatched.add(e.getKey());
                    }
                });
                return mismatched.isEmpty();
            }).toList();
            assertThat(selected).as("Services %s selects", monitor).isNotEmpty();
            for (Manifest service : selected) {
                assertThat(service.doc().at("/metadata/labels").path(spec.path("jobLabel").asText()).asText())
                        .as("the job %s names %s's targets by its jobLabel", monitor, service).isEqualTo(job);
                Set<String> ports = new TreeSet<>();
                service.doc().at("/spec/ports").forEach(port -> ports.add(port.path("name").asText()));
                for (JsonNode endpoint : spec.path("endpoints")) {
                    assertThat(ports).as("%s's ports", service).contains(endpoint.path("port").asText());
                    assertThat(endpoint.path("path").asText()).as("%s path", monitor).isEqualTo(METRICS);
                }
            }
        }
    }

    @Test
    void whatTheApplicationWritesIsOnAWritableVolume() throws Exception {
        Image image = image();
        for (Container container : containers()) {
            Map<String, String> env = environment(container, image);
            String workdir = container.spec().path("workingDir").asText(image.workdir());
            Map<String, JsonNode> volumes = new HashMap<>();
            container.pod().path("volumes").forEach(volume -> volumes.put(volume.path("name").asText(), volume));
            // path → whether it must outlive the pod: relative defaults land in the working directory
            Map<String, Boolean> written = new LinkedHashMap<>();
            written.put(workdir, true);
            for (String variable : WRITTEN) {
                if (env.get(variable) != null) {
                    written.put(Path.of(workdir).resolve(env.get(variable)).normalize().toString(), !variable.equals("WARP_SENTINEL_CACHE_DIR"));
                }
            }
            if (container.spec().at("/securityContext/readOnlyRootFilesystem").asBoolean(false)) {
                written.put("/tmp", false);
            }
            for (String path : written.keySet()) {
                JsonNode mount = MissingNode.getInstance();
                for (JsonNode candidate : container.spec().path("volumeMounts")) {
                    if (isUnder(path, candidate.path("mountPath").asText())
                            && candidate.path("mountPath").asText().length() > mount.path("mountPath").asText("").length()) {
                        mount = candidate;
                    }
                }
                assertThat(mount.isMissingNode()).as("%s writes %s: a volume is mounted there", container, path).isFalse();
                assertThat(mount.path("readOnly").asBoolean(false)).as("%s mounts %s read-only", container, path).isFalse();
                JsonNode volume = volumes.getOrDefault(mount.path("name").asText(), MissingNode.getInstance());
                assertThat(volume.isMissingNode()).as("%s mounts a volume it declares: %s", container, mount).isFalse();
                if (written.get(path)) {
                    assertThat(volume.has("persistentVolumeClaim")).as("%s keeps %s on a PersistentVolumeClaim", container, path).isTrue();
                }
            }
        }
    }

    @Test
    void everyContainerRunsUnprivilegedOnAReadOnlyRoot() throws Exception {
        for (Container container : containers()) {
            JsonNode security = container.spec().path("securityContext");
            boolean nonRoot = security.path("runAsNonRoot").asBoolean(container.pod().at("/securityContext/runAsNonRoot").asBoolean(false));
            assertThat(nonRoot).as("%s runAsNonRoot", container).isTrue();
            assertThat(security.path("readOnlyRootFilesystem").asBoolean(false)).as("%s readOnlyRootFilesystem", container).isTrue();
            assertThat(security.has("allowPrivilegeEscalation") && !security.path("allowPrivilegeEscalation").asBoolean()).as("%s allowPrivilegeEscalation false", container).isTrue();
            assertThat(security.at("/capabilities/drop").toString()).as("%s drops ALL capabilities", container).contains("\"ALL\"");
        }
    }

    @Test
    void secretsAreReferencedFromASecretThatListsThemAndNeverWrittenOut() throws Exception {
        for (Container container : containers()) {
            for (JsonNode variable : container.spec().path("env")) {
                String name = variable.path("name").asText();
                assertThat(SECRET_VARIABLE.matcher(name).matches() && variable.has("value")).as("%s writes the secret %s out", container, name).isFalse();
                JsonNode ref = variable.at("/valueFrom/secretKeyRef");
                if (!ref.isMissingNode() && !ref.path("optional").asBoolean(false)) {
                    JsonNode secret = source(container.workload(), "Secret", ref.path("name").asText());
                    assertThat(secret.path("stringData").has(ref.path("key").asText()) || secret.path("data").has(ref.path("key").asText()))
                            .as("%s takes %s from Secret %s: an example of it under %s lists that key", container, ref.path("key").asText(),
                                    ref.path("name").asText(), KUBERNETES).isTrue();
                }
            }
            for (JsonNode from : container.spec().path("envFrom")) {
                if (from.has("configMapRef")) {
                    JsonNode configMap = source(container.workload(), "ConfigMap", from.at("/configMapRef/name").asText());
                    assertThat(configMap.isMissingNode()).as("%s reads ConfigMap %s, defined beside it", container, from.at("/configMapRef/name").asText()).isFalse();
                    configMap.path("data").properties().forEach(e -> assertThat(SECRET_VARIABLE.matcher(e.getKey()).matches())
                            .as("ConfigMap %s holds the secret %s", from.at("/configMapRef/name").asText(), e.getKey()).isFalse());
                }
            }
        }
        for (Manifest secret : manifests("Secret")) {
            assertThat(secret.doc().path("data").isMissingNode()).as("%s: placeholders in stringData, not encoded values in data", secret).isTrue();
            secret.doc().path("stringData").properties().forEach(e -> assertThat(e.getValue().asText())
                    .as("%s %s is an obvious placeholder", secret, e.getKey()).startsWith("replace-me"));
        }
    }

    @Test
    void theCronJobRunsOnceAndNeverTwiceAtATime() throws Exception {
        List<Manifest> cronJobs = manifests("CronJob");
        assertThat(cronJobs).isNotEmpty();
        Image image = image();
        for (Container container : containers()) {
            if (container.workload().kind().equals("CronJob")) {
                assertThat(environment(container, image)).as("%s environment", container).containsEntry("SENTINEL_ONCE", "true");
            }
        }
        for (Manifest cronJob : cronJobs) {
            assertThat(cronJob.doc().at("/spec/concurrencyPolicy").asText()).as("%s concurrencyPolicy", cronJob).isEqualTo("Forbid");
            assertThat(cronJob.doc().at("/spec/jobTemplate/spec/backoffLimit").isInt()
                    && cronJob.doc().at("/spec/jobTemplate/spec/backoffLimit").asInt() == 0).as("%s backoffLimit 0", cronJob).isTrue();
            assertThat(podSpec(cronJob).path("restartPolicy").asText()).as("%s restartPolicy", cronJob).isEqualTo("Never");
        }
    }

    @Test
    void severalReplicasShareOneScheduleThroughTheDatabase() throws Exception {
        Image image = image();
        int clustered = 0;
        for (Container container : containers()) {
            if (container.workload().kind().equals("Deployment") && container.workload().doc().at("/spec/replicas").asInt(1) > 1) {
                Map<String, String> env = environment(container, image);
                assertThat(env).as("%s: every replica would scan on its own schedule", container).containsEntry("SENTINEL_CLUSTER_ENABLED", "true");
                assertThat(env.get("SENTINEL_STATE_JDBC_URL")).as("%s SENTINEL_STATE_JDBC_URL", container).startsWith("jdbc:postgresql://");
                assertThat(env).as("%s SENTINEL_STATE_PASSWORD, from a Secret", container).containsEntry("SENTINEL_STATE_PASSWORD", null);
                assertThat(env.getOrDefault("SENTINEL_ONCE", "false")).as("%s is a service", container).isEqualTo("false");
                clustered++;
            }
        }
        assertThat(clustered).as("containers of Deployments of several replicas").isPositive();
    }

    @Test
    void everyKustomizationListsFilesThatExistAndEveryManifestBesideItButExamples() throws Exception {
        List<Manifest> kustomizations = manifests("Kustomization");
        assertThat(kustomizations).isNotEmpty();
        for (Manifest kustomization : kustomizations) {
            Path folder = kustomization.file().getParent();
            Set<String> listed = new TreeSet<>();
            kustomization.doc().path("resources").forEach(resource -> listed.add(resource.asText()));
            assertThat(listed).as("%s resources", kustomization).allSatisfy(resource -> assertThat(folder.resolve(resource)).exists());
            try (Stream<Path> files = Files.list(folder)) {
                assertThat(files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml") && !f.contains(".example.")))
                        .as("manifests in %s", folder).allSatisfy(f -> assertThat(listed).contains(f));
            }
        }
    }

    private static final Pattern ASSIGNMENT = Pattern.compile("\"([^\"]*)\"|(\\S+)");

    /** The unit files' lines as key=value, comments and section headers left out. */
    private static List<String> unitLines(Path unit) throws IOException {
        return Files.readAllLines(unit).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith(";") && !line.startsWith("[")).toList();
    }

    /** Variable → value of every Environment= line of a unit. */
    private static Map<String, String> unitEnvironment(Path unit) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : unitLines(unit)) {
            if (line.startsWith("Environment=")) {
                Matcher assignment = ASSIGNMENT.matcher(line.substring("Environment=".length()));
                while (assignment.find()) {
                    String pair = assignment.group(1) != null ? assignment.group(1) : assignment.group(2);
                    env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
        }
        return env;
    }

    private static String unitValue(Path unit, String key) throws IOException {
        return unitLines(unit).stream().filter(line -> line.startsWith(key + "=")).map(line -> line.substring(key.length() + 1))
                .findFirst().orElse(null);
    }

    private static List<Path> units() throws IOException {
        try (Stream<Path> files = Files.list(SYSTEMD)) {
            List<Path> units = files.filter(f -> f.toString().matches(".*\\.(service|timer)")).sorted().toList();
            assertThat(units).as("units in %s", SYSTEMD).isNotEmpty();
            return units;
        }
    }

    @Test
    void theSystemdUnitsSetOnlySettingsAndLauncherVariablesAndKeepWhatIsWrittenInTheirDirectories() throws Exception {
        for (Path unit : units()) {
            if (!unit.toString().endsWith(".service")) {
                continue;
            }
            Map<String, String> env = unitEnvironment(unit);
            assertOnlyKnownVariables(unit, env.keySet());
            assertThat(unitValue(unit, "ExecStart")).as("%s ExecStart", unit).isEqualTo(INSTALLED_LAUNCHER);
            String state = "/var/lib/" + unitValue(unit, "StateDirectory");
            assertThat(unitValue(unit, "WorkingDirectory")).as("%s WorkingDirectory", unit).isEqualTo(state);
            assertThat(env.get("SENTINEL_REPORT_DIR")).as("%s SENTINEL_REPORT_DIR", unit).startsWith(state + "/");
            assertThat(env.get("SENTINEL_DEAD_LETTER_DIR")).as("%s SENTINEL_DEAD_LETTER_DIR", unit).startsWith(state + "/");
            assertThat(env.get("WARP_SENTINEL_CACHE_DIR")).as("%s WARP_SENTINEL_CACHE_DIR", unit).isEqualTo("/var/cache/" + unitValue(unit, "CacheDirectory"));
        }
    }

    /** Quartz's reading of a schedule: its first firings after a date that has Europe's switch to summer time ahead. */
    private static List<Instant> firings(String quartzCron, ZoneId zone) throws ParseException {
        CronExpression cron = new CronExpression(quartzCron);
        cron.setTimeZone(TimeZone.getTimeZone(zone));
        List<Instant> firings = new ArrayList<>();
        Date after = Date.from(Instant.parse("2026-03-27T12:00:00Z"));
        for (int i = 0; i < 4; i++) {
            after = cron.getNextValidTimeAfter(after);
            firings.add(after.toInstant());
        }
        return firings;
    }

    @Test
    void theTimerAndTheCronJobScanWhenTheServiceDoesByDefault() throws Exception {
        List<Instant> service = firings(ScanSettings.SCHEDULE.defaultValue(), ZoneId.of(ReportSettings.TIME_ZONE.defaultValue()));

        Path timer = SYSTEMD.resolve("warp-sentinel-once.timer");
        // a daily time with its zone, as systemd reads it: without one it is the host's local time
        Matcher daily = Pattern.compile("\\*-\\*-\\* (\\d{1,2}):(\\d{2})(?::(\\d{2}))? (\\S+)").matcher(unitValue(timer, "OnCalendar"));
        assertThat(daily.matches()).as("%s OnCalendar is a daily time with its time zone, *-*-* HH:MM:SS Zone: %s", timer,
                unitValue(timer, "OnCalendar")).isTrue();
        String timerCron = Objects.requireNonNullElse(daily.group(3), "0") + " " + daily.group(2) + " " + daily.group(1) + " * * ?";
        assertThat(firings(timerCron, ZoneId.of(daily.group(4)))).as("%s fires as the service's default schedule", timer).isEqualTo(service);

        List<Manifest> cronJobs = manifests("CronJob");
        assertThat(cronJobs).isNotEmpty();
        for (Manifest cronJob : cronJobs) {
            // minute hour day-of-month month day-of-week; Quartz wants seconds first and a '?' for one of the days
            String[] fields = cronJob.doc().at("/spec/schedule").asText().strip().split("\\s+");
            assertThat(fields).as("%s schedule, compared when its day of the week is *", cronJob).hasSize(5).endsWith("*");
            String cronJobCron = "0 " + String.join(" ", fields[0], fields[1], fields[2], fields[3]) + " ?";
            String zone = cronJob.doc().at("/spec/timeZone").asText();
            assertThat(zone).as("%s timeZone: without one it is the cluster's local time", cronJob).isNotEmpty();
            assertThat(firings(cronJobCron, ZoneId.of(zone))).as("%s fires as the service's default schedule", cronJob).isEqualTo(service);
        }
    }

    @Test
    void theRunOnceUnitAndTheServiceAreHardenedAlike() throws Exception {
        Path service = SYSTEMD.resolve("warp-sentinel.service");
        Path once = SYSTEMD.resolve("warp-sentinel-once.service");
        assertThat(unitValue(once, "Type")).isEqualTo("oneshot");
        assertThat(unitEnvironment(once)).containsEntry("SENTINEL_ONCE", "true");
        assertThat(unitValue(service, "Restart")).isEqualTo("on-failure");
        assertThat(unitValue(SYSTEMD.resolve("warp-sentinel-once.timer"), "Persistent")).isEqualTo("true");
        // what differs between a service and one run; everything else, the sandbox above all, is the same
        Pattern mode = Pattern.compile("(?:Type|Restart|RestartSec|RestartPreventExitStatus|SuccessExitStatus|Environment=SENTINEL_ONCE|Description|WantedBy)=.*");
        List<String> serviceLines = unitLines(service).stream().filter(line -> !mode.matcher(line).matches()).toList();
        List<String> onceLines = unitLines(once).stream().filter(line -> !mode.matcher(line).matches()).toList();
        assertThat(onceLines).containsExactlyInAnyOrderElementsOf(serviceLines);
        assertThat(serviceLines).contains("ProtectSystem=strict", "NoNewPrivileges=yes", "CapabilityBoundingSet=", "PrivateTmp=yes", "ProtectHome=yes");
    }

    @Test
    void theSystemdUnitsPassSystemdAnalyzeVerify(@TempDir Path copies) throws Exception {
        Path systemdAnalyze = TestTools.require("systemd", "systemd-analyze");
        // verify checks that ExecStart's program exists: the copies start this checkout's launcher
        List<String> arguments = new ArrayList<>(List.of("verify"));
        for (Path unit : units()) {
            Path copy = copies.resolve(unit.getFileName());
            Files.writeString(copy, Files.readString(unit).replace(INSTALLED_LAUNCHER, LAUNCHER.toAbsolutePath().toString()));
            arguments.add(copy.toString());
        }
        TestTools.Ran verify = TestTools.run(systemdAnalyze, arguments.toArray(String[]::new));
        // an unknown key or a value it cannot parse is only a warning, with exit status 0
        assertThat(verify.output()).as("what systemd-analyze verify said").isEmpty();
        assertThat(verify.exitStatus()).as("systemd-analyze verify's exit status; it said: %s", verify.output()).isZero();
    }
}
