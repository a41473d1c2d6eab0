package org.xai4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xai4j.models.toy.FaceTask;
import org.xai4j.models.toy.ToyModels;

/**
 * The README's first Java block is a complete program: this test compiles it unchanged against the library's classes
 * and runs it on the toy ObjectVGG saved as a DL4J zip and a toy-world face, as a user would with their files.
 */
class ReadmeFirstExampleTest {

    @TempDir
    Path tmp;

    @Test
    void theFirstJavaBlockCompilesAndWritesAnOverlay() throws Exception {
        String source = firstJavaBlock(Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8));
        Matcher name = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)").matcher(source);
        assertThat(name.find()).as("the block declares a public class").isTrue();
        assertThat(source).contains("public static void main(String[] args)").contains("import org.xai4j.");
        Path src = Files.createDirectories(tmp.resolve("src")).resolve(name.group(1) + ".java");
        Files.writeString(src, source, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        compile(src, classes);

        Path model = tmp.resolve("model.zip");
        try (InputStream in = ToyModels.class.getResourceAsStream(ToyModels.OBJECT_VGG_ZIP)) {
            Files.copy(in, model);
        }
        Path image = tmp.resolve("face.jpg");
        ImageIO.write(ToyModels.faceWorld(FaceTask.EMOTION).sample(ToyModels.TEST_START).toBufferedImage(), "jpg",
                image.toFile());
        Path overlay = tmp.resolve("overlay.png");
        String printed = runMain(classes, name.group(1), model.toString(), image.toString(), overlay.toString());

        BufferedImage written = ImageIO.read(overlay.toFile());
        assertThat(written.getWidth()).isEqualTo(64);
        assertThat(written.getHeight()).isEqualTo(64);
        assertThat(printed).contains("Explanation[method=ig");
    }

    /** The text of the first fenced {@code java} block. */
    static String firstJavaBlock(String markdown) {
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        assertThat(m.find()).as("README.md has a java block").isTrue();
        return m.group(1);
    }

    private static void compile(Path source, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK compiler").isNotNull();
        // surefire puts the test classpath here (java.class.path may be a manifest-only booter jar)
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, List.of("-classpath", classpath, "-d",
                    classes.toString(), "--release", "17"), null, files.getJavaFileObjects(source.toFile())).call();
            assertThat(ok).as(diagnostics.getDiagnostics().toString()).isTrue();
        }
    }

    private static String runMain(Path classes, String className, String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeFirstExampleTest.class.getClassLoader())) {
            Method main = loader.loadClass(className).getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
