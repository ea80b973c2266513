package dev.mailtrail.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * AppCDS for a service (JDK 17: a dynamic archive): its exec jar extracted once next to it
 * ({@code target/cds/app}, Spring Boot's {@code -Djarmode=tools extract}; CDS maps classes only from plain jars on
 * the class path, never from nested ones), the archive written when the first run from it exits
 * ({@code -XX:ArchiveClassesAtExit}, so it holds what start-up and serving loaded) and mapped by every later start
 * ({@code -XX:SharedArchiveFile}). A rebuilt jar is extracted afresh and trains a new archive; a stale or unreadable
 * archive costs nothing but the sharing (the JVM falls back to loading classes itself).
 */
final class ClassDataSharing {

    private static final String STAMP = "extracted-from";

    /**
     * How long a stop waits for a run that writes the archive: on a busy 2-core machine three services dumping
     * 50-70 MB archives at once took longer than the usual 15 s, and a killed JVM writes none.
     */
    static final Duration TRAINING_STOP_GRACE = Duration.ofSeconds(60);

    /** The arguments after the JVM options; {@code training}: this run writes the archive when it exits. */
    record Launch(List<String> arguments, boolean training) {}

    private final Path java;
    private final Path execJar;
    private final Path dir;

    ClassDataSharing(Path java, Path execJar) {
        this.java = java;
        this.execJar = execJar;
        this.dir = execJar.resolveSibling("cds");
    }

    /**
     * What follows the JVM options: the archive option, then {@code -jar} the extracted jar; just {@code -jar} the
     * exec jar when it cannot be extracted (sharing only makes the start faster).
     */
    Launch launch() {
        Path jar;
        try {
            jar = extracted();
        } catch (IOException e) {
            System.out.println("  class data sharing off for " + execJar.getFileName() + ": " + e.getMessage());
            return new Launch(List.of("-jar", execJar.toString()), false);
        }
        Path archive = dir.resolve("app.jsa");
        boolean training = !Files.isRegularFile(archive);
        List<String> args = new ArrayList<>();
        args.add(training ? "-XX:ArchiveClassesAtExit=" + archive : "-XX:SharedArchiveFile=" + archive);
        // classes CDS cannot store (the JDK's generated accessors) are warned about one by one at every dump
        args.add("-Xlog:cds=error");
        args.add("-jar");
        args.add(jar.toString());
        return new Launch(List.copyOf(args), training);
    }

    /** The extracted jar, extracting it first unless this exec jar (size and time) already was. */
    private Path extracted() throws IOException {
        Path app = dir.resolve("app");
        Path jar = app.resolve(execJar.getFileName());
        String stamp =
                Files.size(execJar) + " " + Files.getLastModifiedTime(execJar).toMillis();
        Path stampFile = dir.resolve(STAMP);
        if (Files.isRegularFile(jar)
                && Files.isRegularFile(stampFile)
                && Files.readString(stampFile).equals(stamp)) {
            return jar;
        }
        KafkaBroker.deleteRecursively(dir);
        Path staging = Files.createDirectories(dir).resolve("app.tmp");
        Process extract = new ProcessBuilder(
                        java.toString(),
                        "-Djarmode=tools",
                        "-jar",
                        execJar.toString(),
                        "extract",
                        "--destination",
                        staging.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!extract.waitFor(2, TimeUnit.MINUTES) || extract.exitValue() != 0) {
                extract.destroyForcibly();
                throw new IOException("could not extract " + execJar + " for class data sharing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            extract.destroyForcibly();
            throw new IOException("interrupted while extracting " + execJar, e);
        }
        Files.move(staging, app, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(stampFile, stamp);
        return jar;
    }
}
