package io.warpsentinel;

import static io.warpsentinel.CloudflareStub.lastPage;
import static io.warpsentinel.CloudflareStub.registrations;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.ScanRun;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the files a scan writes hold (user e-mails, device names) stays with their owner; a link
 * planted in the state folder is not followed; two scans of one account into one folder do not
 * delete each other's files.
 */
class FileSafetyTest extends ScanRouteTestSupport {

    private static final String LONG_AGO = "2020-01-01T00:00:00Z";

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        // folders the scan creates itself, so their permissions are its own
        settings.put("sentinel.report.dir", reportDir.resolve("reports").toString());
        return settings;
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void everyFileAndFolderWrittenIsTheOwnersOnly() throws Exception {
        cloudflare.page("acc-1", null, lastPage(registrations("r", 2, LONG_AGO)));

        assertThat(scan().isSuccessful()).isTrue();

        Path reports = reportDir.resolve("reports");
        assertThat(mode(reports)).isEqualTo("rwx------");
        assertThat(reports.resolve("index.html")).as("the index among them").isRegularFile();
        try (Stream<Path> files = Files.list(reports)) {
            for (Path file : files.toList()) {
                assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
            }
        }
        assertThat(mode(stateDir.resolve("state"))).isEqualTo("rwx------");
        assertThat(mode(stateDir.resolve("state/acc-1.jsonl"))).isEqualTo("rw-------");
        assertThat(mode(stateDir.resolve("history.jsonl"))).isEqualTo("rw-------");
    }

    @Test
    void aLinkPlantedAtTheStatesTemporaryFileIsNotFollowed() throws Exception {
        Path victim = Files.writeString(stateDir.resolve("victim.txt"), "must stay as it is");
        Files.createDirectories(stateDir.resolve("state"));
        Files.createSymbolicLink(stateDir.resolve("state/.acc-1.jsonl.tmp"), victim);
        cloudflare.page("acc-1", null, lastPage(registrations("r", 2, LONG_AGO)));

        assertThat(scan().isSuccessful()).isTrue();

        assertThat(Files.readString(victim)).isEqualTo("must stay as it is");
        assertThat(Files.readString(stateDir.resolve("state/acc-1.jsonl"))).contains("\"registration_id\":\"r1\"");
    }

    @Test
    void aSecondScanOfTheSameAccountIntoTheSameFolderStopsAndTouchesNothing() throws Exception {
        cloudflare.page("acc-1", null, lastPage(registrations("r", 2, LONG_AGO)));
        Path reports = Files.createDirectories(reportDir.resolve("reports"));
        Path unfinished = Files.writeString(reports.resolve(".warp-sentinel-acc-1-20261128T060000Z.csv.tmp"), "another scan's");

        ScanRun run;
        try (FileChannel channel = FileChannel.open(reports.resolve(".warp-sentinel-acc-1.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            run = scan();
        }

        assertThat(run.getFailures().get("acc-1")).contains("Another scan of account acc-1 is running");
        assertThat(unfinished).as("the running scan's file").hasContent("another scan's");
        assertThat(WIREMOCK.getAllServeEvents()).as("no request made").isEmpty();
    }
}
