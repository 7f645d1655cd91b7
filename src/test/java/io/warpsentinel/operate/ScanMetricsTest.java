package io.warpsentinel.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class ScanMetricsTest {

    @Test
    void channelLabelsHaveNoSpaces() {
        assertThat(ScanMetrics.label("e-mail")).isEqualTo("email");
        assertThat(ScanMetrics.label("webhook soc")).isEqualTo("webhook_soc");
        assertThat(ScanMetrics.label("owner notice")).isEqualTo("owner_notice");
    }

    @Test
    void whatAlertRulesWatchExistsFromStartUpWithTheRunHistorysLastSuccess() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            MeterRegistry registry = new SimpleMeterRegistry();
            camel.getRegistry().bind("meters", registry);
            ScanMetrics metrics = new ScanMetrics(camel);

            metrics.accountsConfigured(List.of("scanned-before", "never"), account -> account.equals("never") ? 0 : 1_764_000_000L,
                    List.of("e-mail", "webhook soc"));

            assertThat(registry.get("warp.sentinel.last.success.timestamp.seconds").tag("account", "scanned-before").gauge().value())
                    .as("not 0 after a restart").isEqualTo(1_764_000_000.0);
            assertThat(registry.get("warp.sentinel.last.success.timestamp.seconds").tag("account", "never").gauge().value()).isZero();
            assertThat(registry.get("warp.sentinel.deliveries").tag("account", "never").tag("channel", "webhook_soc")
                    .tag("outcome", "failed").counter().count()).as("an increase from 0 can fire").isZero();
        }
    }
}
