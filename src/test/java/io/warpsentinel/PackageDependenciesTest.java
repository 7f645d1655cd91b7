package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages depend one way: each may use only the packages below it in {@link #LAYERS}, read off
 * the sources' imports. A class that needs its caller's types is in the wrong package.
 */
class PackageDependenciesTest {

    /** From the bottom up; the root package (the entry point and the wiring) may use them all. */
    private static final List<String> LAYERS = List.of("secrets", "settings", "files", "http", "finding", "demo", "operate", "classify",
            "cloudflare", "state", "cluster", "remediate", "report", "deliver", "scan", "");

    private static final Pattern PACKAGE = Pattern.compile("^package io\\.warpsentinel\\.?([a-z.]*);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.warpsentinel\\.([a-z]+)\\.", Pattern.MULTILINE);

    @Test
    void everyPackageUsesOnlyThePackagesBelowIt() throws Exception {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/io/warpsentinel"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                Matcher declared = PACKAGE.matcher(text);
                assertThat(declared.find()).as(source.toString()).isTrue();
                String from = declared.group(1);
                Matcher imported = IMPORT.matcher(text);
                while (imported.find()) {
                    if (!imported.group(1).equals(from)) {
                        uses.computeIfAbsent(from, p -> new TreeSet<>()).add(imported.group(1));
                    }
                }
            }
        }
        assertThat(uses.keySet()).as("every package has its place in LAYERS").isSubsetOf(LAYERS);
        uses.forEach((from, used) -> assertThat(used).as("what %s uses", from.isEmpty() ? "the root package" : from)
                .allSatisfy(to -> assertThat(LAYERS.indexOf(to)).as("%s is below %s", to, from).isLessThan(LAYERS.indexOf(from))));
    }

    @Test
    void everyPackageSaysWhatItOwns() throws Exception {
        try (Stream<Path> folders = Files.walk(Path.of("src/main/java/io/warpsentinel"), 1)) {
            for (Path folder : folders.filter(Files::isDirectory).skip(1).toList()) {
                assertThat(folder.resolve("package-info.java")).as("package-info of %s", folder.getFileName()).exists();
            }
        }
    }
}
