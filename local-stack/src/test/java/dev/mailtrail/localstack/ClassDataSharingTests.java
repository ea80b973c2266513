package dev.mailtrail.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTests {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path target;

    /** An exec jar and what an earlier start extracted from it, as {@link ClassDataSharing} leaves them. */
    private Path extractedBefore() throws IOException {
        Path execJar = Files.writeString(target.resolve("svc-exec.jar"), "not really a jar");
        Files.setLastModifiedTime(execJar, FileTime.fromMillis(1_764_000_000_000L));
        Path app = Files.createDirectories(target.resolve("cds").resolve("app"));
        Files.writeString(app.resolve("svc-exec.jar"), "extracted");
        Files.writeString(target.resolve("cds").resolve("extracted-from"), "16 1764000000000");
        return execJar;
    }

    @Test
    void theFirstStartWritesTheArchiveAtExitAndLaterStartsMapIt() throws IOException {
        Path execJar = extractedBefore();
        Path archive = target.resolve("cds").resolve("app.jsa");
        Path extracted = target.resolve("cds").resolve("app").resolve("svc-exec.jar");

        ClassDataSharing.Launch first = new ClassDataSharing(JAVA, execJar).launch();
        assertThat(first.arguments())
                .containsExactly(
                        "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=error", "-jar", extracted.toString());
        assertThat(first.training()).isTrue();

        Files.writeString(archive, "an archive");
        ClassDataSharing.Launch later = new ClassDataSharing(JAVA, execJar).launch();
        assertThat(later.arguments())
                .containsExactly("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=error", "-jar", extracted.toString());
        assertThat(later.training()).isFalse();
    }

    @Test
    void aRebuiltJarNeverStartsWithTheOldArchiveAndOneThatCannotBeExtractedStartsAsItIs() throws IOException {
        Path execJar = extractedBefore();
        Path archive = Files.writeString(target.resolve("cds").resolve("app.jsa"), "the old build's archive");
        Files.setLastModifiedTime(execJar, FileTime.fromMillis(1_764_000_060_000L)); // rebuilt

        // not a Spring Boot jar: extracting it fails, so it runs as it is, without sharing
        assertThat(new ClassDataSharing(JAVA, execJar).launch())
                .isEqualTo(new ClassDataSharing.Launch(List.of("-jar", execJar.toString()), false));
        assertThat(archive).doesNotExist();
    }
}
