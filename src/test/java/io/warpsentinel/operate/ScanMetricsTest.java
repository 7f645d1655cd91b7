package io.warpsentinel.operate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScanMetricsTest {

    @Test
    void channelLabelsHaveNoSpaces() {
        assertThat(ScanMetrics.label("e-mail")).isEqualTo("email");
        assertThat(ScanMetrics.label("webhook soc")).isEqualTo("webhook_soc");
        assertThat(ScanMetrics.label("owner notice")).isEqualTo("owner_notice");
    }
}
