package io.warpsentinel.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code application.properties} and {@code docs/configuration.md} from the settings'
 * declarations, so neither can drift from the code: a test compares both with what is committed.
 */
public final class SettingsDocs {

    private static final int WIDTH = 100;

    private SettingsDocs() {
    }

    /** The built-in defaults, grouped and commented: the operator's template of every setting. */
    public static String properties(SettingsSchema schema) {
        StringBuilder text = new StringBuilder("""
                # warp-sentinel settings, generated from their declarations in the code (docs/configuration.md has them
                # all, with the environment variable of each). Any key can be set with -Dkey=value or with an
                # environment variable named after it in upper case, dots and dashes as underscores
                # (sentinel.stale-after -> SENTINEL_STALE_AFTER). Set secrets (the token, passwords, webhook URLs)
                # through the environment, never in a file.
                """);
        SettingGroup group = null;
        for (Setting<?> setting : schema.inOrder()) {
            if (!setting.inProperties()) {
                continue;
            }
            if (setting.group() != group) {
                group = setting.group();
                text.append("\n# --- ").append(group.title()).append(group.note().isEmpty() ? "" : ": " + group.note()).append(" ---\n");
            }
            wrap(text, setting.description());
            text.append(setting.key()).append(" =").append(setting.defaultValue().isEmpty() ? "" : " " + setting.defaultValue()).append('\n');
        }
        return text.toString();
    }

    /** The configuration reference: every setting with its environment variable, default and meaning. */
    public static String reference(SettingsSchema schema) {
        StringBuilder text = new StringBuilder("""
                # Configuration reference

                Generated from the settings' declarations in the code, like `application.properties` (a test
                checks that both match them).

                Each key is read from, the later winning: the built-in default; the operator's config file
                (`SENTINEL_CONFIG=/etc/warp-sentinel/warp-sentinel.properties` or `-Dsentinel.config=…`, a
                properties file of the keys below); the key's environment variable; `-Dkey=value`. Secrets
                (marked below) belong in the environment, never in a file, and are redacted from every log
                line.

                Values are checked at start-up: one that cannot work stops it with exit status 2, naming the
                key. So does a config file that is missing or unreadable, not a regular file, larger than 1 MiB,
                not UTF-8 or with a key given twice (naming the line), and a key nobody declared: a
                `sentinel.*` or `cloudflare.*` key in the config file or `-D`, or a `SENTINEL_*` environment
                variable, that is not below stops start-up with the closest known key ("did you mean
                sentinel.stale-after?"). Camel's own keys below are the ones warp-sentinel sets; any other
                option of Camel Main or of a component in the jar can be set too (`camel.*`, or its `CAMEL_*`
                variable), judged by Camel's catalog the same way ("did you mean camel.management.port?").
                Other `CLOUDFLARE_*` variables belong to other Cloudflare tools (wrangler, Terraform), and
                `CAMEL_*` variables outside Camel's groups (`CAMEL_HOME`) to other programs: both are left
                alone. warp-sentinel takes no command-line arguments (but `--help`): one after the jar stops
                the start too, naming the form that works (`-Dkey=value` before `-jar`, or through
                `bin/warp-sentinel`). `-Dsentinel.validate=true` checks a configuration against the services
                it names without scanning ([operating.md](operating.md#checking-a-configuration)).
                """);
        SettingGroup group = null;
        for (Setting<?> setting : schema.inOrder()) {
            if (setting.group() != group) {
                group = setting.group();
                text.append("\n## ").append(group.title()).append("\n\n");
                if (!group.note().isEmpty()) {
                    text.append(group.note()).append("\n\n");
                }
                text.append("| key | environment variable | default | meaning |\n|---|---|---|---|\n");
            }
            String secret = setting.secret() == Setting.Secret.NONE ? "" : " **Secret.**";
            text.append("| `").append(setting.key()).append("` | `").append(setting.environmentVariable()).append("` | ")
                    .append(setting.defaultValue().isEmpty() ? "(none)" : "`" + cell(shortened(setting.defaultValue())) + "`")
                    .append(" | ").append(cell(setting.description()))
                    .append(setting.kind().equals("text") ? "" : " Must be " + cell(setting.kind()) + ".")
                    .append(secret).append(" |\n");
        }
        return text.toString();
    }

    private static String shortened(String value) {
        return value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** The text as comment lines of at most {@value #WIDTH} characters. */
    private static void wrap(StringBuilder text, String paragraph) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder("#");
        for (String word : paragraph.replace("`", "").split(" ")) {
            if (line.length() + 1 + word.length() > WIDTH && line.length() > 1) {
                lines.add(line.toString());
                line = new StringBuilder("#");
            }
            line.append(' ').append(word);
        }
        lines.add(line.toString());
        lines.forEach(l -> text.append(l).append('\n'));
    }
}
