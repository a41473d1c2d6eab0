package org.xai4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.xai4j.explainers.ExplanationMethod;
import org.xai4j.explainers.MethodOption;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's methods table is a copy of the method table's names, families and options: kept equal here. */
class ReadmeMethodsTableTest {

    @Test
    void theReadmeListsExactlyTheRegisteredMethodsWithTheirFamiliesAndOptions() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## Methods");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("README has a '## Methods' section").isNotNegative();
        List<String> rows = readme.substring(start, end).lines().filter(l -> l.startsWith("| `")).toList();
        List<String> names = new ArrayList<>();
        for (String row : rows) {
            String[] cells = row.split("\\|");
            String name = cells[1].strip().replace("`", "");
            names.add(name);
            ExplanationMethod method = ExplanationMethod.fromId(name);
            String family = method.family() == ExplanationMethod.Family.CAM ? "CAM"
                    : method.family().name().toLowerCase(Locale.ROOT).replace("_", " ");
            assertThat(cells[2].strip()).as(name + "'s family").isEqualToIgnoringCase(family);
            String options = cells[4];
            for (MethodOption<?> option : method.options()) {
                assertThat(options).as(name + "'s options list --" + option.name()).contains("--" + option.name());
            }
            for (MethodOption<?> option : MethodOption.ALL) {
                if (!method.takes(option)) {
                    assertThat(options.split("[\\s`]+")).as(name + " does not take --" + option.name())
                            .doesNotContain("--" + option.name());
                }
            }
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(ExplanationMethod.ids());
    }
}
