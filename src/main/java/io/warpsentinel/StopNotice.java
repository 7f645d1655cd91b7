package io.warpsentinel;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.ShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line when the process is told to stop (SIGTERM from systemd, Kubernetes or kill; Ctrl-C)
 * while Camel runs, saying whether a scan was running, and so may be abandoned. Camel stops
 * itself on those signals through a JVM shutdown hook of its own and logs it only at INFO of its
 * own loggers, which the console leaves out; this is a shutdown hook beside it, registered only
 * while Camel runs, so the exit that follows a run-once scan or a failed start, which runs the
 * hooks too, says nothing.
 */
final class StopNotice extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WarpSentinel.class);
    /** The route a run of every account goes through (routes/scan-accounts.camel.yaml), scheduled or run-once. */
    private static final String RUN_ROUTE = "scan-all-accounts";

    private final Thread hook = new Thread(this::stopping, "stop-notice");
    private volatile CamelContext camelContext;

    @Override
    public void afterStart(BaseMainSupport main) {
        camelContext = main.getCamelContext();
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void beforeStop(BaseMainSupport main) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // a signal stops the process: the hook runs, or has run
        }
    }

    private void stopping() {
        if (camelContext.getInflightRepository().size(RUN_ROUTE) == 0) {
            LOG.info("Stopping: told to stop (SIGTERM or Ctrl-C) while no scan was running");
            return;
        }
        ShutdownStrategy shutdown = camelContext.getShutdownStrategy();
        LOG.warn("Stopping: told to stop (SIGTERM or Ctrl-C) during a scan, which has {} s (camel.main.shutdown-timeout) to finish; "
                + "past that it is abandoned, and the accounts it has not reported by then get no report this time",
                shutdown.getTimeUnit().toSeconds(shutdown.getTimeout()));
    }
}
