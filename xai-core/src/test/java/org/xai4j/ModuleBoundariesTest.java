package org.xai4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API is enforced: no module's main code imports another module's {@code internal} package. Reads the
 * repository's sources (the test runs in xai-core's folder, whose parent is the repository root).
 */
class ModuleBoundariesTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(org\\.xai4j\\.[\\w.]*?\\.?internal)\\.",
            Pattern.MULTILINE);

    @Test
    void noModuleImportsAnotherModulesInternalPackage() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Map<String, String> ownerOfPackage = new HashMap<>();
        List<Path> modules = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(d -> Files.isDirectory(d.resolve("src/main/java"))).forEach(modules::add);
        }
        assertThat(modules).as("modules under " + root).hasSizeGreaterThan(5);
        for (Path module : modules) {
            Path sources = module.resolve("src/main/java");
            try (Stream<Path> dirs = Files.walk(sources)) {
                dirs.filter(d -> d.getFileName().toString().equals("internal") && Files.isDirectory(d))
                        .forEach(d -> ownerOfPackage.put(sources.relativize(d).toString().replace('/', '.'),
                                module.getFileName().toString()));
            }
        }
        assertThat(ownerOfPackage).as("internal packages").isNotEmpty();
        List<String> violations = new ArrayList<>();
        for (Path module : modules) {
            String name = module.getFileName().toString();
            try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = IMPORT.matcher(Files.readString(file));
                    while (m.find()) {
                        String owner = ownerOfPackage.get(m.group(1));
                        if (owner != null && !owner.equals(name)) {
                            violations.add(root.relativize(file) + " imports " + m.group(1) + " of " + owner);
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
