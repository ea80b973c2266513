package dev.mailtrail.localstack;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A single-node KRaft broker started from Kafka's Maven Central jars (local-stack/target/kafka-libs). */
final class KafkaBroker {

    private static final String LOG4J2 = """
            # Written by the local stack: the broker only logs warnings, plus its "started" line.
            status = warn
            appender.console.type = Console
            appender.console.name = STDOUT
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = WARN
            rootLogger.appenderRef.console.ref = STDOUT
            logger.started.name = kafka.server.KafkaRaftServer
            logger.started.level = INFO
            """;

    private KafkaBroker() {}

    /** Writes the configuration, formats the storage once, and starts the broker process. */
    static ChildProcess start(StackConfig config, Path java) throws IOException, InterruptedException {
        Path libs = config.kafkaLibs();
        if (!Files.isDirectory(libs) || !hasKafkaJar(libs)) {
            throw new StackException("Kafka broker jars not found in " + libs
                    + " (build the launcher: ./mvnw -B -q -pl local-stack package -DskipTests)");
        }
        Path dir = config.home().resolve("kafka");
        Path data = dir.resolve("data");
        Files.createDirectories(dir);
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, LOG4J2);
        Path properties = dir.resolve("server.properties");
        Files.writeString(properties, serverProperties(config, data));

        String classpath = libs.toAbsolutePath() + "/*";
        Map<String, String> env = minimalEnvironment();
        Path log = config.logs().resolve("kafka.log");

        // The voter set is stored at format time; if the controller port changed, start over.
        Path formattedWith = dir.resolve("formatted-controller-port");
        boolean formatted = Files.isRegularFile(data.resolve("meta.properties"))
                && Files.isRegularFile(formattedWith)
                && Files.readString(formattedWith).trim().equals(Integer.toString(config.kafkaControllerPort()));
        if (!formatted) {
            if (Files.exists(data)) {
                System.out.println("  kafka: controller port changed or storage incomplete; reformatting " + data);
                deleteRecursively(data);
            }
            List<String> format = List.of(
                    java.toString(),
                    "-Xmx256m",
                    "-cp",
                    classpath,
                    "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath(),
                    "kafka.tools.StorageTool",
                    "format",
                    "--standalone",
                    "-t",
                    randomClusterId(),
                    "-c",
                    properties.toAbsolutePath().toString());
            int exit = ChildProcess.run(format, env, dir, log, Duration.ofSeconds(120));
            if (exit != 0) {
                throw new StackException(
                        "formatting Kafka storage failed (exit " + exit + "):\n" + ChildProcess.tail(log, 20));
            }
            Files.writeString(formattedWith, Integer.toString(config.kafkaControllerPort()));
        }

        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-Xmx512m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath(),
                "-cp",
                classpath,
                "kafka.Kafka",
                properties.toAbsolutePath().toString()));
        return ChildProcess.start("kafka", command, env, dir, log);
    }

    static String serverProperties(StackConfig config, Path data) {
        String broker = StackConfig.LOOPBACK + ":" + config.kafkaPort();
        String controller = StackConfig.LOOPBACK + ":" + config.kafkaControllerPort();
        return """
                # Written by the local stack on every start; edit StackConfig/KafkaBroker instead.
                process.roles=broker,controller
                node.id=1
                listeners=PLAINTEXT://%1$s,CONTROLLER://%2$s
                advertised.listeners=PLAINTEXT://%1$s,CONTROLLER://%2$s
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                inter.broker.listener.name=PLAINTEXT
                controller.listener.names=CONTROLLER
                controller.quorum.bootstrap.servers=%2$s
                log.dirs=%3$s
                num.partitions=3
                default.replication.factor=1
                min.insync.replicas=1
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=true
                # Small footprint: one machine runs everything.
                num.network.threads=2
                num.io.threads=4
                log.cleaner.dedupe.buffer.size=16777216
                """.formatted(broker, controller, data.toAbsolutePath());
    }

    /**
     * True once the broker answers an ApiVersions request without error. The acceptor only
     * processes requests after the broker has joined the quorum and caught up on metadata, so this
     * is "ready", not merely "port open".
     */
    static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(2000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] clientId = "mailtrail-local-stack".getBytes(StandardCharsets.UTF_8);
            int correlationId = 4711;
            // request header v1: api_key int16, api_version int16, correlation_id int32, client_id string
            out.writeInt(2 + 2 + 4 + 2 + clientId.length);
            out.writeShort(18); // ApiVersions
            out.writeShort(0);
            out.writeInt(correlationId);
            out.writeShort(clientId.length);
            out.write(clientId);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            if (size < 6) {
                return false;
            }
            return in.readInt() == correlationId && in.readShort() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kafka's Uuid text form: 16 random bytes, URL-safe base64 without padding, never starting with '-'. */
    static String randomClusterId() {
        SecureRandom random = new SecureRandom();
        while (true) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    /** The broker needs none of the services' settings (or secrets); just enough to run a JVM. */
    private static Map<String, String> minimalEnvironment() {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ")) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        return env;
    }

    private static boolean hasKafkaJar(Path libs) throws IOException {
        try (Stream<Path> files = Files.list(libs)) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith("kafka_2.13-"));
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
