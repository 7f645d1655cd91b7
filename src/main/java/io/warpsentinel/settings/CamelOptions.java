package io.warpsentinel.settings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.camel.util.StringHelper;

/**
 * The {@code camel.*} options Camel Main can bind, from the catalogs Camel's own build writes into
 * its jars: {@code META-INF/camel-main-configuration-metadata.json} (camel.main, camel.management,
 * camel.health, camel.metrics, camel.server...) and each installed component's, data format's and
 * language's {@code META-INF/<package>/<name>.json}. Camel itself fails on a misspelled option with
 * a stack trace (exit 1), or silently ignores a misspelled group; these name the closest option.
 *
 * <p>Read only when an operator sets a {@code camel.*} key or {@code CAMEL_*} variable that is not one
 * of warp-sentinel's own settings: a start without one reads no catalog.
 */
final class CamelOptions {

    private static final String MAIN_CATALOG = "META-INF/camel-main-configuration-metadata.json";
    /** A streaming parser: a tree of the 170 kB main catalog costs three times as long, at a start that pays for every millisecond. */
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * What Camel Main binds without a catalog to check against: beans, variables, route templates,
     * the context's and the properties component's own fields (lower case).
     */
    private static final List<String> UNCHECKED = List.of("camel.beans.", "camel.variable.", "camel.globaloptions.", "camel.routetemplate",
            "camel.devconsole.", "camel.context.", "camel.component.properties.");

    /** The kinds of named things whose options are {@code camel.<kind>.<name>.<option>}. */
    private static final List<String> KINDS = List.of("component", "dataformat", "language");

    /** Lower-case group (camel.management) → its options. */
    private final Map<String, Group> groups;
    /** Catalogs of components, data formats and languages, loaded as they are named ("component/http"). */
    private final Map<String, Optional<Group>> named = new ConcurrentHashMap<>();

    /**
     * The options of one group or one component: compared in lower case without dashes, as Camel
     * binds them. None for a component without a catalog (a custom one): nobody can check its options here.
     */
    private record Group(String prefix, Map<String, Option> options) {

        Optional<Option> option(String name) {
            return Optional.ofNullable(options.get(comparable(name)));
        }

        boolean checked() {
            return !options.isEmpty();
        }
    }

    /** One option: the key as the docs spell it (camel.management.health-check-enabled), and whether keys go below it (a map, a bean). */
    private record Option(String key, boolean nested) { }

    private CamelOptions(Map<String, Group> groups) {
        this.groups = groups;
    }

    /** The options of the Camel on the class path, read once, the first time they are needed. */
    static CamelOptions installed() {
        return Installed.OPTIONS;
    }

    /** Loaded with its first use, not with CamelOptions: a start without a camel.* key of its own never reads the catalog. */
    private static final class Installed {
        static final CamelOptions OPTIONS = readMainCatalog();
    }

    private static CamelOptions readMainCatalog() {
        Map<String, Map<String, Option>> byGroup = new HashMap<>();
        Map<String, String> prefixes = new HashMap<>();
        catalog(MAIN_CATALOG, "properties").forEach((name, property) -> {
            int dot = name.lastIndexOf('.');
            String group = name.substring(0, dot);
            String javaType = property.getOrDefault("javaType", "");
            boolean nested = javaType.startsWith("java.util.Map") || javaType.startsWith("java.util.Properties");
            prefixes.putIfAbsent(group.toLowerCase(Locale.ROOT), group);
            byGroup.computeIfAbsent(group.toLowerCase(Locale.ROOT), g -> new HashMap<>())
                    .put(comparable(name.substring(dot + 1)), new Option(group + "." + StringHelper.camelCaseToDash(name.substring(dot + 1)), nested));
        });
        Map<String, Group> groups = new HashMap<>();
        byGroup.forEach((group, options) -> groups.put(group, new Group(prefixes.get(group), options)));
        return new CamelOptions(groups);
    }

    /**
     * What is wrong with a {@code camel.*} key of a config file or {@code -D}, if anything:
     * " (did you mean camel.management.port?)", or why Camel would not bind it.
     *
     * @param ours warp-sentinel's own camel.* keys, also offered as the closest
     */
    Optional<String> problemWithKey(String key, Collection<String> ours) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (UNCHECKED.stream().anyMatch(lower::startsWith)) {
            return Optional.empty();
        }
        for (String kind : KINDS) {
            String prefix = "camel." + kind + ".";
            if (lower.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int dot = rest.indexOf('.');
                String name = dot < 0 ? rest : rest.substring(0, dot);
                Optional<Group> catalog = named(kind, name);
                if (catalog.isEmpty()) {
                    return Optional.of(": Camel has no " + kind + " named '" + name + "' here");
                }
                if (!catalog.get().checked()) {
                    return Optional.empty();
                }
                return dot < 0 ? Optional.of(": names no option of the " + kind + " " + name)
                        : optionProblem(catalog.get(), rest.substring(dot + 1), key, catalog.get().options().values().stream().map(Option::key).toList());
            }
        }
        Optional<Group> group = groupOf(lower);
        List<String> candidates = Stream.concat(ours.stream(), allMainKeys().stream()).toList();
        if (group.isEmpty()) {
            return Optional.of(closest(key, candidates, false).orElse(": Camel Main has no such group of options"));
        }
        return optionProblem(group.get(), key.substring(group.get().prefix().length() + 1), key, candidates);
    }

    private Optional<String> optionProblem(Group group, String option, String key, List<String> candidates) {
        int end = firstOf(option, '.', '[');
        Optional<Option> known = group.option(option.substring(0, end));
        if (known.isEmpty()) {
            return Optional.of(closest(key, candidates, false).orElse(": Camel knows no such option"));
        }
        if (end < option.length() && !known.get().nested()) {
            return Optional.of(": " + known.get().key() + " takes a value, not keys below it");
        }
        return Optional.empty();
    }

    /**
     * The key a {@code CAMEL_*} environment variable sets, as Camel binds it; empty when the
     * variable is Camel's to read unchecked (a bean's, a map's entries), not Camel's at all
     * (CAMEL_HOME), or wrong (see {@link #problemWithVariable}).
     */
    Optional<String> keyOfVariable(String variable) {
        return judge(variable).key();
    }

    /**
     * What is wrong with a {@code CAMEL_*} environment variable, if anything: " (did you mean
     * CAMEL_MANAGEMENT_PORT?)". One outside Camel's groups is another program's (CAMEL_HOME),
     * unless it is a near miss of one of Camel's (CAMEL_MANAGMENT_PORT).
     *
     * @param ours warp-sentinel's own camel.* keys, also offered as the closest
     */
    Optional<String> problemWithVariable(String variable, Collection<String> ours) {
        Judged judged = judge(variable);
        List<String> candidates = judged.candidates().isEmpty() ? Stream.concat(ours.stream(), allMainKeys().stream()).toList()
                : judged.candidates();
        return switch (judged.verdict()) {
            case KNOWN, UNCHECKED -> Optional.empty();
            case FOREIGN -> closest(variable, candidates, true);
            case WRONG -> Optional.of(closest(variable, candidates, true).orElse(judged.problem()));
        };
    }

    private enum Verdict { KNOWN, UNCHECKED, FOREIGN, WRONG }

    /** How a variable reads: the key it sets, or left to Camel, or another program's, or wrong (with the options to suggest from). */
    private record Judged(Verdict verdict, Optional<String> key, List<String> candidates, String problem) {

        static Judged known(String key) {
            return new Judged(Verdict.KNOWN, Optional.of(key), List.of(), "");
        }

        static Judged of(Verdict verdict) {
            return new Judged(verdict, Optional.empty(), List.of(), "");
        }

        static Judged wrong(List<String> candidates, String problem) {
            return new Judged(Verdict.WRONG, Optional.empty(), candidates, problem);
        }
    }

    private Judged judge(String variable) {
        String lower = variable.toLowerCase(Locale.ROOT).replace('_', '.');
        if (UNCHECKED.stream().anyMatch(prefix -> comparable(lower).startsWith(comparable(prefix)))) {
            return Judged.of(Verdict.UNCHECKED);
        }
        for (String kind : KINDS) {
            String prefix = "camel." + kind + ".";
            if (lower.startsWith(prefix)) {
                List<String> words = List.of(lower.substring(prefix.length()).split("\\."));
                // where the name's words end: platform-http is CAMEL_COMPONENT_PLATFORM_HTTP_...
                for (int i = words.size() - 1; i >= 1; i--) {
                    String name = String.join("-", words.subList(0, i));
                    Optional<Group> catalog = named(kind, name).or(() -> named(kind, name.replace("-", "")));
                    if (catalog.isPresent()) {
                        if (!catalog.get().checked()) {
                            return Judged.of(Verdict.UNCHECKED);
                        }
                        List<String> keys = catalog.get().options().values().stream().map(Option::key).toList();
                        return catalog.get().option(String.join("", words.subList(i, words.size()))).map(found -> Judged.known(found.key()))
                                .orElseGet(() -> Judged.wrong(keys, ": Camel knows no such option"));
                    }
                }
                // a data format's or language's name in camel case (mimeMultipart) cannot be told from a variable: Camel's to read
                return kind.equals("component") ? Judged.wrong(List.of(), ": Camel has no component of that name here")
                        : Judged.of(Verdict.UNCHECKED);
            }
        }
        Optional<Group> group = groups.values().stream()
                .filter(g -> lower.startsWith(g.prefix().toLowerCase(Locale.ROOT) + "."))
                .max((a, b) -> Integer.compare(a.prefix().length(), b.prefix().length()));
        if (group.isEmpty()) {
            return Judged.of(Verdict.FOREIGN);
        }
        String option = comparable(lower.substring(group.get().prefix().length() + 1));
        Optional<Option> known = group.get().option(option);
        if (known.isPresent()) {
            return Judged.known(known.get().key());
        }
        boolean belowAMap = group.get().options().entrySet().stream()
                .anyMatch(entry -> entry.getValue().nested() && option.startsWith(entry.getKey()));
        return belowAMap ? Judged.of(Verdict.UNCHECKED) : Judged.wrong(List.of(), ": Camel knows no such option");
    }

    /** The group a lower-case key is in: the longest group that starts it (camel.vault.aws before camel.vault). */
    private Optional<Group> groupOf(String lowerKey) {
        return groups.entrySet().stream().filter(entry -> lowerKey.startsWith(entry.getKey() + "."))
                .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length())).map(Map.Entry::getValue);
    }

    private List<String> allMainKeys() {
        List<String> keys = new ArrayList<>();
        groups.values().forEach(group -> group.options().values().forEach(option -> keys.add(option.key())));
        return keys;
    }

    /** The catalog of a component, data format or language, if one of that name is on the class path. */
    private Optional<Group> named(String kind, String name) {
        return named.computeIfAbsent(kind + "/" + name, k -> {
            Properties service = new Properties();
            try (InputStream in = CamelOptions.class.getClassLoader().getResourceAsStream("META-INF/services/org/apache/camel/" + kind + "/"
                    + name)) {
                if (in == null) {
                    return Optional.empty();
                }
                service.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String type = service.getProperty("class", "");
            String folder = type.contains(".") ? type.substring(0, type.lastIndexOf('.')).replace('.', '/') : "";
            String prefix = "camel." + kind + "." + name;
            Map<String, Option> options = new HashMap<>();
            catalog("META-INF/" + folder + "/" + name + ".json", kind.equals("component") ? "componentProperties" : "properties")
                    .forEach((option, property) -> options.put(comparable(option), new Option(prefix + "." + StringHelper.camelCaseToDash(option),
                            "object".equals(property.get("type")))));
            return Optional.of(new Group(prefix, options));
        });
    }

    /**
     * The options of one section of a catalog, each with its plain fields (type, javaType...): the
     * main catalog lists them as an array of objects with a name, the others as an object of
     * objects keyed by name. Empty when the catalog is not on the class path.
     */
    private static Map<String, Map<String, String>> catalog(String resource, String section) {
        Map<String, Map<String, String>> options = new HashMap<>();
        try (InputStream in = CamelOptions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return options;
            }
            try (JsonParser json = JSON.createParser(in)) {
                json.nextToken();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    JsonToken value = json.nextToken();
                    if (!json.currentName().equals(section)) {
                        json.skipChildren();
                    } else if (value == JsonToken.START_ARRAY) {
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, String> fields = fields(json);
                            options.put(fields.getOrDefault("name", ""), fields);
                        }
                    } else if (value == JsonToken.START_OBJECT) {
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String name = json.currentName();
                            json.nextToken();
                            options.put(name, fields(json));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Camel's catalog " + resource + " cannot be read", e);
        }
        return options;
    }

    /** The plain fields of the object the parser is at (nested ones skipped), the parser left at its end. */
    private static Map<String, String> fields(JsonParser json) throws IOException {
        Map<String, String> fields = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            if (value.isScalarValue()) {
                fields.put(name, json.getText());
            } else {
                json.skipChildren();
            }
        }
        return fields;
    }

    /** " (did you mean X?)" for the candidate fewest edits away, if one is close; variables compared as variables. */
    private static Optional<String> closest(String given, List<String> candidates, boolean variable) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String compared = variable ? OperatorSettings.variable(candidate) : candidate;
            int distance = OperatorSettings.distance(given.toLowerCase(Locale.ROOT), compared.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = compared;
            }
        }
        return best != null && bestDistance <= Math.max(3, given.length() / 4) ? Optional.of(" (did you mean " + best + "?)") : Optional.empty();
    }

    /** A name as Camel matches it: in any case, dashes and (in a variable) underscores ignored. */
    private static String comparable(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", "");
    }

    private static int firstOf(String text, char... characters) {
        int first = text.length();
        for (char c : characters) {
            int at = text.indexOf(c);
            if (at >= 0 && at < first) {
                first = at;
            }
        }
        return first;
    }
}
