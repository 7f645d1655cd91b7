package io.warpsentinel.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The arguments after the jar. warp-sentinel takes none but {@code --help}: a setting is
 * {@code -Dkey=value} before {@code -jar} (or through the launcher), an environment variable or a
 * line of the config file. Camel Main would answer any other argument with its option list and
 * exit status 0 without scanning, which cron, systemd and a CronJob record as a success; and its
 * own options would bypass the settings' checks ({@code -pl}: another properties file) or end a
 * service early ({@code -d}: a duration). So every argument but help stops the start, each named
 * with the form that works.
 */
public final class Arguments {

    private static final List<String> HELP = List.of("-h", "-help", "--help");

    private static final String EXAMPLE = "-Dsentinel.once=true";

    private Arguments() {
    }

    /** Whether the operator asked for help. */
    public static boolean wantHelp(String... arguments) {
        return List.of(arguments).stream().anyMatch(HELP::contains);
    }

    /** What {@code --help} prints: how settings are given, since no argument is one. */
    public static String help() {
        return """
                Usage: bin/warp-sentinel [-Dkey=value ...]
                       java [-Dkey=value ...] -jar warp-sentinel.jar

                warp-sentinel takes no arguments. Each setting is given as -Dkey=value before -jar (the
                launcher passes its -D arguments on), as an environment variable named after its key
                (sentinel.stale-after -> SENTINEL_STALE_AFTER), or in the properties file named by
                SENTINEL_CONFIG. For example:

                  bin/warp-sentinel -Dsentinel.once=true       scan once, then exit (0 all reported, 1 not, 2 a setting is wrong)
                  bin/warp-sentinel -Dsentinel.validate=true   check the token, the relay and the webhooks; scan nothing
                  bin/warp-sentinel -Dcamel.main.profile=demo  scan the embedded demo API, no Cloudflare account needed

                Every setting, with its environment variable and default: docs/configuration.md
                """;
    }

    /**
     * Stops the start for any argument given (help aside, see {@link #wantHelp}), naming each and
     * the form that works; a value is shown only for a setting that is no secret.
     */
    public static void check(SettingsSchema schema, String... arguments) {
        List<String> problems = new ArrayList<>();
        for (String argument : arguments) {
            problems.add(problem(schema, argument));
        }
        if (!problems.isEmpty()) {
            throw new SettingException((problems.size() == 1 ? "" : problems.size() + " arguments: ") + String.join("; ", problems));
        }
    }

    private static String problem(SettingsSchema schema, String argument) {
        if (argument.startsWith("-D")) {
            String shown = shown(schema, argument.substring(2));
            return "-D" + shown + " comes after -jar, where Java hands it to the application instead of setting it: put -D options before "
                    + "-jar (java -D" + shown + " -jar warp-sentinel.jar), or use bin/warp-sentinel, which does";
        }
        if (argument.startsWith("-X")) {
            return argument + " comes after -jar, where Java hands it to the application: put JVM options before -jar (java " + argument
                    + " -jar warp-sentinel.jar), or use bin/warp-sentinel, which does";
        }
        String name = argument.replaceFirst("^-{1,2}", "");
        int equals = name.indexOf('=');
        Optional<Setting<?>> meant = meant(schema, equals < 0 ? name : name.substring(0, equals));
        String given = equals < 0 ? argument : argument.substring(0, argument.indexOf('=')) + "=…";
        if (meant.isEmpty()) {
            return "unknown argument " + given + ": warp-sentinel takes no arguments; give settings as -Dkey=value before -jar or "
                    + "through bin/warp-sentinel, e.g. " + EXAMPLE + " (--help; every setting: docs/configuration.md)";
        }
        Setting<?> setting = meant.get();
        if (setting.secret() != Setting.Secret.NONE) {
            return "unknown argument " + given + ": settings are given as -Dkey=value, and a secret such as " + setting.key()
                    + " as an environment variable: " + setting.environmentVariable();
        }
        String form = "-D" + setting.key() + "=" + (equals >= 0 ? name.substring(equals + 1)
                : setting.kind().equals(SettingGroup.FLAG) ? "true" : "<value>");
        return "unknown argument " + argument + ": settings are given as -Dkey=value: bin/warp-sentinel " + form + ", or java " + form
                + " -jar warp-sentinel.jar";
    }

    /** {@code key=value} as it may be shown: the value only for a known setting that is no secret. */
    private static String shown(SettingsSchema schema, String keyAndValue) {
        int equals = keyAndValue.indexOf('=');
        if (equals < 0) {
            return keyAndValue;
        }
        Optional<Setting<?>> setting = schema.find(keyAndValue.substring(0, equals));
        return setting.isPresent() && setting.get().secret() == Setting.Secret.NONE ? keyAndValue : keyAndValue.substring(0, equals) + "=…";
    }

    /** The setting an argument such as {@code --once} or {@code --stale-after} names: its key, or the one key that ends in it. */
    private static Optional<Setting<?>> meant(SettingsSchema schema, String name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        List<Setting<?>> endingInIt = schema.settings().stream().filter(setting -> setting.key().endsWith("." + name)).toList();
        return schema.findKey(name).or(() -> endingInIt.size() == 1 ? Optional.of(endingInIt.get(0)) : Optional.empty());
    }
}
