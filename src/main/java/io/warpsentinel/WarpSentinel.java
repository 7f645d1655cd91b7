package io.warpsentinel;

import io.warpsentinel.scan.RunOnce;
import io.warpsentinel.secrets.RedactingEncoder;
import io.warpsentinel.secrets.Secrets;
import io.warpsentinel.settings.Arguments;
import io.warpsentinel.settings.OperatorSettings;
import io.warpsentinel.settings.SettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.LoggerFactory;

/**
 * Starts the routes with Camel Main. Exit status: 0 when all went well, {@value RunOnce#SCAN_FAILED}
 * when a run-once scan did not report every account (or a validation found a problem),
 * {@value #BAD_SETTING} when a setting or an argument stopped the start.
 */
public final class WarpSentinel {

    static final int BAD_SETTING = 2;

    public static void main(String... args) throws Exception {
        if (Arguments.wantHelp(args)) {
            System.out.print(Arguments.help());
            return;
        }
        // Before the first log line: Camel's property resolution prints values at DEBUG.
        SentinelSettings.SCHEMA.registerSecrets(System.getenv(), System.getProperties(), Secrets.global());
        RedactingEncoder.installEverywhere();
        OperatorSettings operator;
        try {
            Arguments.check(SentinelSettings.SCHEMA, args);
            operator = OperatorSettings.of(System.getenv(), System.getProperties());
            operator.registerSecrets(SentinelSettings.SCHEMA, Secrets.global());
            List<String> unknown = operator.unknown(SentinelSettings.SCHEMA);
            if (!unknown.isEmpty()) {
                throw new SettingException("unknown setting" + (unknown.size() == 1 ? " " : "s ") + String.join("; ", unknown)
                        + " (every setting: docs/configuration.md)");
            }
        } catch (SettingException bad) {
            LoggerFactory.getLogger(WarpSentinel.class).error("Not started: {}", bad.getMessage());
            System.exit(BAD_SETTING);
            return;
        }
        if (!operator.hasConfigFile() && editedDefaultsHere()) {
            LoggerFactory.getLogger(WarpSentinel.class).warn("./application.properties is not read: name your settings file with "
                    + OperatorSettings.CONFIG_VARIABLE + "=<path> or -D" + OperatorSettings.CONFIG_PROPERTY + "=<path>");
        }
        if ("true".equalsIgnoreCase(operator.getProperty("sentinel.validate"))) {
            // a validation is a run-once run that checks instead of scanning: no schedule, no management port
            System.setProperty("sentinel.once", "true");
        }
        // The configuration class is named rather than found: scanning the fat jar for it costs
        // a second at every start, which a run-once job pays every time.
        Main main = new Main();
        main.configure().addConfiguration(SentinelConfiguration.class);
        AtomicReference<RunOnce> runOnce = new AtomicReference<>();
        main.addMainListener(new StopNotice());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeInitialize(BaseMainSupport starting) {
                operator.install(starting.getCamelContext().getPropertiesComponent(), SentinelSettings.SCHEMA);
            }

            @Override
            public void afterStart(BaseMainSupport started) {
                runOnce.set(started.getCamelContext().getRegistry().findSingleByType(RunOnce.class));
            }
        });
        int status;
        try {
            // no argument reaches Camel Main (Arguments refused them all): its own options are not warp-sentinel's
            status = main.run(new String[0]);
        } catch (Exception e) {
            SettingException bad = settingException(e);
            if (bad == null) {
                throw e;
            }
            LoggerFactory.getLogger(WarpSentinel.class).error("Not started: {}", bad.getMessage());
            status = BAD_SETTING;
        }
        System.exit(runOnce.get() == null ? status : runOnce.get().exitStatus(status));
    }

    /**
     * Whether the working folder holds an application.properties other than the built-in one (the
     * repository's copy is the same file): an operator's edits there would be silently ignored.
     */
    private static boolean editedDefaultsHere() {
        Path here = Path.of("application.properties");
        if (!Files.isRegularFile(here)) {
            return false;
        }
        try (var builtIn = WarpSentinel.class.getResourceAsStream("/application.properties")) {
            return builtIn == null || !Arrays.equals(builtIn.readAllBytes(), Files.readAllBytes(here));
        } catch (IOException unreadable) {
            return true;
        }
    }

    private static SettingException settingException(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SettingException bad) {
                return bad;
            }
        }
        return null;
    }
}
