package io.warpsentinel;

import io.warpsentinel.scan.RunOnce;
import org.apache.camel.main.Main;

/** Starts the routes with Camel Main; in run-once mode the exit status says whether every account was reported. */
public final class WarpSentinel {

    public static void main(String... args) throws Exception {
        Main main = new Main(WarpSentinel.class);
        int status = main.run(args);
        RunOnce runOnce = main.lookup("runOnce", RunOnce.class);
        boolean runOnceMode = Boolean.parseBoolean(main.getCamelContext() == null ? "false"
                : main.getCamelContext().getPropertiesComponent().resolveProperty("sentinel.once").orElse("false"));
        System.exit(status != 0 || !runOnceMode || runOnce == null ? status : runOnce.exitStatus());
    }
}
