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
 * The public API is enforced: no module's main code imports another module's {@code internal} package, and no source
 * imports a backend's shaded copy of a library. Reads the repository's sources (the test runs in xai-core's folder,
 * whose parent is the repository root).
 */
class ModuleBoundariesTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(org\\.xai4j\\.[\\w.]*?\\.?internal)\\.",
            Pattern.MULTILINE);

    private static final Pattern SHADED_IMPORT = Pattern.compile(
            "^import\\s+(?:static\\s+)?(org\\.nd4j\\.shade\\.\\S+?);", Pattern.MULTILINE);

    /**
     * JSON and other libraries come from the project's own dependencies: ND4J's shaded copies
     * ({@code org.nd4j.shade.jackson}, ...) are a backend's internals and change with it.
     */
    @Test
    void noSourceImportsABackendsShadedLibrary() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            for (Path module : children.filter(d -> Files.isDirectory(d.resolve("src"))).toList()) {
                sources.addAll(javaFiles(module.resolve("src")));
            }
        }
        assertThat(sources).as("Java sources under " + root).hasSizeGreaterThan(100);
        List<String> violations = new ArrayList<>();
        for (Path file : sources) {
            Matcher m = SHADED_IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                violations.add(root.relativize(file) + " imports " + m.group(1));
            }
        }
        assertThat(violations).isEmpty();
    }

    /** The {@code .java} files below {@code folder}. */
    private static List<Path> javaFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

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
            for (Path file : javaFiles(module.resolve("src/main/java"))) {
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String owner = ownerOfPackage.get(m.group(1));
                    if (owner != null && !owner.equals(name)) {
                        violations.add(root.relativize(file) + " imports " + m.group(1) + " of " + owner);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
