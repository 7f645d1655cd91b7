package io.warpsentinel.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The findings' devices kept and found again, those of an inventory listed before the findings were known too. */
class DeviceDirectoryTest {

    private static DeviceIds ids(String... ids) {
        return new DeviceIds(ids.length, () -> List.of(ids).iterator());
    }

    private static Device device(String id, String model) {
        return new Device(id, "mac", null, "Ãpple ✓", model, null, "2026-01-02T03:04:05Z", "1");
    }

    @Test
    void devicesWrittenBeforeTheFindingsWereKnownAreIndexedOnceTheyAreAndOnlyTheirs() {
        try (DeviceDirectory directory = new DeviceDirectory()) {
            directory.keepAllUntilKnown();
            // text of several bytes a character, empty and absent values: the file is read back by its lengths
            directory.put(device("dev-1", "Mac—Book 🍎"));
            directory.put(device("dev-2", ""));
            directory.put(device("dev-3", null));
            directory.put(device("dev-1", "answered twice"));

            directory.keepOnly(ids("dev-1", "dev-3", "dev-4"));
            directory.put(device("dev-4", "after"));
            directory.put(device("dev-5", "not wanted"));
            directory.complete();

            assertThat(directory.find("dev-1")).isEqualTo(device("dev-1", "Mac—Book 🍎"));
            assertThat(directory.find("dev-2")).isNull();
            assertThat(directory.find("dev-3")).isEqualTo(device("dev-3", null));
            assertThat(directory.find("dev-4")).isEqualTo(device("dev-4", "after"));
            assertThat(directory.find("dev-5")).isNull();
        }
    }

    @Test
    void aDeviceAnsweredTwiceAmongManyKeepsItsFirstAnswerWhateverTheSortMakesOfThem() {
        try (DeviceDirectory directory = new DeviceDirectory()) {
            directory.keepAllUntilKnown();
            List<String> ids = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "dev-" + i).toList();
            ids.forEach(id -> directory.put(device(id, "first")));
            // every third device moved to a later page while the inventory was paged: answered again
            for (int i = 0; i < ids.size(); i += 3) {
                directory.put(device(ids.get(i), "again"));
            }
            directory.keepOnly(new DeviceIds(ids.size(), ids::iterator));
            directory.complete();

            assertThat(ids).allSatisfy(id -> assertThat(directory.find(id)).isEqualTo(device(id, "first")));
        }
    }
}
