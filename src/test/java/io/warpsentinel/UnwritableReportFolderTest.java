package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registrations;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.ScanRun;
import java.nio.file.Files;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** A report folder that cannot be written fails the account before its first request, with the setting named. */
class UnwritableReportFolderTest extends ScanRouteTestSupport {

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        // a regular file where the folder should be: no folder can be created there
        settings.put("sentinel.report.dir", stateDir.resolve("not-a-folder").toString());
        return settings;
    }

    @Test
    void theAccountFailsNamingTheFolderAndNoRequestIsMade() throws Exception {
        Files.writeString(stateDir.resolve("not-a-folder"), "a file");
        cloudflare.page("acc-1", null, lastPage(registrations("r", 1, "2020-01-01T00:00:00Z")));

        ScanRun run = scan();

        assertThat(run.getFailures().get("acc-1")).contains("Cannot write reports to", "not-a-folder", "sentinel.report.dir");
        assertThat(WIREMOCK.getAllServeEvents()).isEmpty();
    }
}
