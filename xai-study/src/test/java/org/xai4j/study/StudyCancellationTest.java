package org.xai4j.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xai4j.ExplanationCancelledException;
import org.xai4j.ProgressListener;

/** A cancelled study stops within the running step and leaves no report and no staging folder. */
class StudyCancellationTest {

    @TempDir
    Path tmp;

    @Test
    void theListenerStopsALongStepFromInside() throws IOException {
        List<String> steps = new ArrayList<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        ProgressListener listener = new ProgressListener() {
            @Override public void onProgress(String task, long done, long total) {
                steps.add(task);
                if (task.startsWith("features ObjectVGG block1_conv2")) {
                    cancelled.set(true);
                }
            }

            @Override public boolean isCancelled() {
                return cancelled.get();
            }
        };
        Path report = tmp.resolve("report");
        StudyConfig config = StudyConfig.builder().optQuick(true).optProgressListener(listener).build();
        assertThatThrownBy(() -> new Study(config).run(report)).isInstanceOf(ExplanationCancelledException.class)
                .satisfies(e -> assertThat(((ExplanationCancelledException) e).task())
                        .as("stopped inside the step, by activation maximization's checkpoint")
                        .isEqualTo("ActivationMaximization"));
        assertThat(steps.get(steps.size() - 1)).startsWith("features ObjectVGG block1_conv2");
        assertNothingLeft(report);
    }

    @Test
    void anInterruptStopsTheStudyAtTheNextStep() throws Exception {
        List<String> steps = new ArrayList<>();
        ProgressListener interruptAfterChoosing = (task, done, total) -> {
            steps.add(task);
            if (task.startsWith("choosing")) {
                Thread.currentThread().interrupt();
            }
        };
        Path report = tmp.resolve("report");
        Throwable[] thrown = new Throwable[1];
        boolean[] interruptFlag = new boolean[1];
        Thread worker = new Thread(() -> {
            try {
                new Study(StudyConfig.builder().optQuick(true).optProgressListener(interruptAfterChoosing).build())
                        .run(report);
            } catch (Throwable t) {
                thrown[0] = t;
                interruptFlag[0] = Thread.currentThread().isInterrupted();
            }
        });
        worker.start();
        worker.join();
        assertThat(thrown[0]).isInstanceOf(ExplanationCancelledException.class).hasMessageContaining("interrupted");
        assertThat(interruptFlag[0]).as("the interrupt flag is set again for the caller").isTrue();
        assertThat(steps).noneMatch(s -> s.startsWith("features"));
        assertNothingLeft(report);
    }

    private void assertNothingLeft(Path report) throws IOException {
        assertThat(report).doesNotExist();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).as("no staging folder").isEmpty();
        }
    }
}
