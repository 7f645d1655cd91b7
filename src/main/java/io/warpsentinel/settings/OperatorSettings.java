package io.warpsentinel.settings;

import io.warpsentinel.secrets.Secrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.camel.Ordered;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.spi.LoadablePropertiesSource;

/**
 * What the operator set, over the built-in defaults of {@code application.properties}: a config
 * file ({@code SENTINEL_CONFIG} or {@code -Dsentinel.config}), over it the environment, over that
 * {@code -D}. Camel's own order would put the environment over {@code -D}, so this source answers
 * first and Camel's own environment and system-property lookups are turned off.
 *
 * <p>An operator's mistake stops the start: a config file that cannot be read, and a key this
 * application does not know in the config file, in {@code -D} ({@code sentinel.*},
 * {@code cloudflare.*}) or in the environment ({@code SENTINEL_*}), with the closest known key;
 * the same for Camel's own keys ({@code camel.*}, {@code CAMEL_*}), judged by Camel's catalog.
 * Other {@code CLOUDFLARE_*} variables belong to other Cloudflare tools (wrangler, Terraform):
 * only the ones documented are ever read, and the rest are left alone.
 */
public final class OperatorSettings implements LoadablePropertiesSource, Ordered {

    public static final String CONFIG_PROPERTY = "sentinel.config";
    public static final String CONFIG_VARIABLE = "SENTINEL_CONFIG";
    /**
     * What Kubernetes puts in every pod of a namespace for each Service, here one named
     * {@code sentinel} (SENTINEL_SERVICE_HOST, SENTINEL_PORT_9876_TCP...): never an operator's
     * setting. A bare SENTINEL_PORT is one by its value, {@code tcp://10.0.0.7:9876}.
     */
    private static final Pattern KUBERNETES_SERVICE_LINK = Pattern.compile(
            "[A-Z0-9_]+_(SERVICE_(HOST|PORT)(_[A-Z0-9_]+)?|PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)");
    private static final Pattern KUBERNETES_SERVICE_ADDRESS = Pattern.compile("(tcp|udp|sctp)://.*");

    private final Properties file;
    private final String fileName;
    private final Map<String, String> environment;
    private final Properties system;
    /** The camel.* key each CAMEL_* variable sets, for Camel's auto-configuration; known once installed. */
    private Map<String, String> camelVariables = Map.of();

    private OperatorSettings(Properties file, String fileName, Map<String, String> environment, Properties system) {
        this.file = file;
        this.fileName = fileName;
        this.environment = environment;
        this.system = system;
    }

    /** The layers of this process; the config file is read now, and one that cannot be is a setting that cannot work. */
    public static OperatorSettings of(Map<String, String> environment, Properties system) {
        String configured = Optional.ofNullable(system.getProperty(CONFIG_PROPERTY)).orElse(environment.get(CONFIG_VARIABLE));
        Properties file = configured != null && !configured.isBlank() ? ConfigFile.read(Path.of(configured.strip())) : new Properties();
        Map<String, String> variables = new HashMap<>(environment);
        // the one variable not named after its key: one account, CLOUDFLARE_ACCOUNT_ID, as Cloudflare's own tools name it
        if (!variables.containsKey("CLOUDFLARE_ACCOUNT_IDS") && variables.containsKey("CLOUDFLARE_ACCOUNT_ID")) {
            variables.put("CLOUDFLARE_ACCOUNT_IDS", variables.get("CLOUDFLARE_ACCOUNT_ID"));
        }
        return new OperatorSettings(file, configured, Map.copyOf(variables), system);
    }

    public boolean hasConfigFile() {
        return fileName != null && !fileName.isBlank();
    }

    /** Registers the secrets of the config file (those of the environment and -D are registered before it is read). */
    public void registerSecrets(SettingsSchema schema, Secrets secrets) {
        for (String key : file.stringPropertyNames()) {
            schema.find(key).ifPresent(setting -> SettingsSchema.register(setting, file.getProperty(key), secrets));
        }
    }

    /** Makes Camel read the settings through these layers, {@code schema}'s camel.* keys from their environment variables too. */
    public void install(org.apache.camel.spi.PropertiesComponent properties, SettingsSchema schema) {
        if (properties instanceof PropertiesComponent camel) {
            camel.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
            camel.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
        }
        Map<String, String> keys = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("CAMEL_") && !serviceLink(name, value)) {
                camelKey(schema, name).ifPresent(key -> keys.put(name, key));
            }
        });
        camelVariables = Map.copyOf(keys);
        properties.addPropertiesSource(this);
    }

    @Override
    public String getName() {
        return "operator settings (-D, environment, " + (fileName == null ? "no config file" : fileName) + ")";
    }

    @Override
    public String getProperty(String name) {
        String value = system.getProperty(name);
        if (value == null) {
            value = environment.get(variable(name));
        }
        return value != null ? value : file.getProperty(name);
    }

    /** Unset here: null, so Camel asks the next source (application.properties) before it takes a placeholder's fallback. */
    @Override
    public String getProperty(String name, String defaultValue) {
        return getProperty(name);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }

    /**
     * What Camel Main's auto-configuration reads ({@code camel.*}): the config file's keys, the
     * environment's and {@code -D}'s, each at its layer. Camel's own reading of the environment
     * is no substitute: it skips every variable ending in _PORT as a Kubernetes service link,
     * CAMEL_MANAGEMENT_PORT included.
     */
    @Override
    public Properties loadProperties() {
        return loadProperties(key -> true);
    }

    @Override
    public Properties loadProperties(Predicate<String> filter) {
        Properties answer = new Properties();
        for (String key : file.stringPropertyNames()) {
            if (filter.test(key)) {
                answer.setProperty(key, getProperty(key));
            }
        }
        camelVariables.forEach((variable, key) -> {
            if (filter.test(key) && system.getProperty(key) == null) {
                answer.setProperty(key, environment.get(variable));
            }
        });
        for (String key : system.stringPropertyNames()) {
            if (ours(key) && filter.test(key)) {
                answer.setProperty(key, system.getProperty(key));
            }
        }
        return answer;
    }

    @Override
    public void reloadProperties(String location) {
        // read once, at start-up
    }

    /**
     * Every key the operator set that this application does not know, each with where it was
     * set and the closest known key. In the config file and {@code -D} a key must be spelled
     * exactly ({@code sentinel.stale_after} is read by nobody); a webhook's keys must name a
     * webhook of {@code sentinel.webhooks}. Camel's own keys ({@code camel.*}, {@code CAMEL_*}) are
     * judged by Camel's catalog, read only for a key that is not one of {@code schema}'s.
     */
    public List<String> unknown(SettingsSchema schema) {
        List<String> problems = new ArrayList<>();
        for (String key : file.stringPropertyNames()) {
            Optional<Setting<?>> found = schema.findKey(key);
            if (found.isPresent() && !found.get().inProperties() && !found.get().isTemplate()) {
                // LOG_LEVEL, LOG_FORMAT, LOG_CAMEL, sentinel.config, camel.main.profile: read before any file is
                problems.add(key + " in " + fileName + ": it is read from the environment or -D only");
            } else if (key.startsWith("camel.")) {
                camelProblem(schema, key).ifPresent(problem -> problems.add(key + " in " + fileName + problem));
            } else {
                problem(schema, found, key, key + " in " + fileName, false).ifPresent(problems::add);
            }
        }
        for (String key : system.stringPropertyNames()) {
            if (key.startsWith("camel.")) {
                camelProblem(schema, key).ifPresent(problem -> problems.add("-D" + key + problem));
            } else if (ours(key) && !key.equals(CONFIG_PROPERTY)) {
                problem(schema, schema.findKey(key), key, "-D" + key, false).ifPresent(problems::add);
            }
        }
        environment.forEach((name, value) -> {
            if (serviceLink(name, value)) {
                return;
            }
            if (name.startsWith("SENTINEL_") && !name.equals(CONFIG_VARIABLE)) {
                problem(schema, schema.find(name), name, name + " in the environment", true).ifPresent(problems::add);
            } else if (name.startsWith("CAMEL_") && schema.find(name).isEmpty()) {
                CamelOptions.installed().problemWithVariable(name, camelKeys(schema))
                        .ifPresent(problem -> problems.add(name + " in the environment" + problem));
            }
        });
        problems.sort(Comparator.naturalOrder());
        return problems;
    }

    /** What is wrong with a camel.* key of the file or -D, if anything; Camel's catalog is read only for a key that is not ours. */
    private static Optional<String> camelProblem(SettingsSchema schema, String key) {
        return schema.findKey(key).isPresent() ? Optional.empty() : CamelOptions.installed().problemWithKey(key, camelKeys(schema));
    }

    /** The camel.* key a CAMEL_* variable sets: one of ours (no catalog read), else one of Camel's catalog. */
    private static Optional<String> camelKey(SettingsSchema schema, String variable) {
        Optional<String> ours = schema.find(variable).map(Setting::key).filter(key -> key.startsWith("camel."));
        return ours.isPresent() ? ours : CamelOptions.installed().keyOfVariable(variable);
    }

    private static List<String> camelKeys(SettingsSchema schema) {
        return schema.settings().stream().map(Setting::key).filter(key -> key.startsWith("camel.")).toList();
    }

    private static boolean serviceLink(String name, String value) {
        return KUBERNETES_SERVICE_LINK.matcher(name).matches() || name.endsWith("_PORT") && KUBERNETES_SERVICE_ADDRESS.matcher(value).matches();
    }

    /** What is wrong with one key the operator set, if anything. */
    private Optional<String> problem(SettingsSchema schema, Optional<Setting<?>> found, String given, String where, boolean environmentName) {
        if (found.isEmpty()) {
            return Optional.of(where + closest(schema, given, environmentName));
        }
        Optional<String> name = found.get().nameIn(given);
        if (name.isPresent() && !webhookNames().contains(name.get())) {
            return Optional.of(where + ": '" + name.get() + "' is not a webhook of sentinel.webhooks (" + String.join(",", webhookNames())
                    + ")");
        }
        return Optional.empty();
    }

    /** The webhooks the operator configured, as {@link Setting#nameIn} gives names. */
    private List<String> webhookNames() {
        String configured = getProperty("sentinel.webhooks");
        List<String> names = new ArrayList<>();
        if (configured != null) {
            for (String name : configured.split(",")) {
                if (!name.isBlank()) {
                    names.add(Setting.comparable(name.strip()));
                }
            }
        }
        return names;
    }

    private static boolean ours(String key) {
        return key.startsWith("sentinel.") || key.startsWith("cloudflare.") || key.startsWith("camel.");
    }

    /** The environment variable Camel would read for a key: upper case, dots and dashes as underscores. */
    static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** " (did you mean sentinel.stale-after?)" for the known key fewest edits away, if any is close. */
    private static String closest(SettingsSchema schema, String given, boolean environmentName) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Setting<?> setting : schema.settings()) {
            String candidate = setting.key();
            if (setting.isTemplate()) {
                String[] parts = given.toLowerCase(Locale.ROOT).replace('_', '.').split("\\.");
                candidate = parts.length >= 4 ? setting.named(parts[2]) : candidate;
            }
            String compared = environmentName ? variable(candidate) : candidate;
            int distance = distance(given.toLowerCase(Locale.ROOT), compared.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = compared;
            }
        }
        return best != null && bestDistance <= Math.max(3, given.length() / 4) ? " (did you mean " + best + "?)" : "";
    }

    /** Levenshtein: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
