package dev.mailtrail.localstack;

import dev.mailtrail.events.secrets.DevSecret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the local stack needs to know, resolved once from an environment map so that the
 * launcher, its children and the tests agree on every port and secret.
 *
 * @param repoRoot      the repository checkout (module jars are found under it)
 * @param home          state directory (.mailtrail): postgres/, kafka/, logs/, the pid file
 * @param infraOnly     start PostgreSQL and Kafka only
 * @param embeddedPostgres whether we start PostgreSQL ourselves (MAILTRAIL_DB_HOST unset)
 * @param embeddedKafka whether we start a broker ourselves (SPRING_KAFKA_BOOTSTRAP_SERVERS unset)
 * @param serviceEnv    the complete environment handed to every service process
 */
public record StackConfig(
        Path repoRoot,
        Path home,
        boolean infraOnly,
        boolean embeddedPostgres,
        String dbHost,
        int dbPort,
        String dbName,
        String dbUser,
        String dbPassword,
        boolean embeddedKafka,
        String kafkaBootstrapServers,
        int kafkaPort,
        int kafkaControllerPort,
        int simulatorPort,
        int ingestPort,
        int ingestManagementPort,
        int sendPort,
        int sendManagementPort,
        String apiToken,
        boolean apiTokenFromEnvironment,
        String webhookSecret,
        boolean webhookSecretFromEnvironment,
        String resendApiKey,
        Duration readyTimeout,
        List<String> serviceJvmOptions,
        Map<String, String> serviceEnv) {

    public static final String DEV_API_TOKENS = DevSecret.API_TOKENS.value();
    public static final String DEV_WEBHOOK_SECRETS = DevSecret.RESEND_WEBHOOK_SECRETS.value();
    public static final String DEV_RESEND_API_KEY = DevSecret.RESEND_API_KEY.value();
    public static final String DEV_TRACKING_KEYS = DevSecret.TRACKING_KEYS.value();
    public static final String DEV_IP_HASH_SALT = DevSecret.IP_HASH_SALT.value();

    /** Every listener of the stack binds this: it runs with public secrets, so nothing may reach it from outside. */
    public static final String LOOPBACK = "127.0.0.1";

    public static final String VERSION = loadVersion();

    public static StackConfig fromEnvironment(Map<String, String> env, Path repoRoot, boolean infraOnly) {
        Path root = repoRoot.toAbsolutePath().normalize();
        Path home = root.resolve(env.getOrDefault("MAILTRAIL_HOME", ".mailtrail"))
                .toAbsolutePath()
                .normalize();

        boolean embeddedPostgres = blank(env.get("MAILTRAIL_DB_HOST"));
        String dbHost = embeddedPostgres ? "127.0.0.1" : env.get("MAILTRAIL_DB_HOST");
        int dbPort = port(env, "MAILTRAIL_DB_PORT", 5432);
        String dbName = env.getOrDefault("MAILTRAIL_DB_NAME", "mailtrail");
        String dbUser = env.getOrDefault("MAILTRAIL_DB_USER", "postgres");
        String dbPassword = env.getOrDefault("MAILTRAIL_DB_PASSWORD", "postgres");

        // Local-stack-only knobs: where our own broker listens (the services only see the bootstrap string).
        int kafkaPort = port(env, "MAILTRAIL_KAFKA_PORT", 9092);
        int kafkaControllerPort = port(env, "MAILTRAIL_KAFKA_CONTROLLER_PORT", 9093);
        boolean embeddedKafka = blank(env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"));
        String bootstrap = embeddedKafka ? "127.0.0.1:" + kafkaPort : env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS");

        int simulatorPort = port(env, "MAILTRAIL_SIMULATOR_PORT", 8090);
        int ingestPort = port(env, "MAILTRAIL_INGEST_PORT", 8081);
        int ingestManagementPort = port(env, "MAILTRAIL_INGEST_MANAGEMENT_PORT", 9081);
        int sendPort = port(env, "MAILTRAIL_SEND_PORT", 8082);
        int sendManagementPort = port(env, "MAILTRAIL_SEND_MANAGEMENT_PORT", 9082);

        boolean tokensFromEnv = !blank(env.get("MAILTRAIL_API_TOKENS"));
        String tokens = tokensFromEnv ? env.get("MAILTRAIL_API_TOKENS") : DEV_API_TOKENS;
        boolean secretsFromEnv = !blank(env.get("MAILTRAIL_RESEND_WEBHOOK_SECRETS"));
        String secrets = secretsFromEnv ? env.get("MAILTRAIL_RESEND_WEBHOOK_SECRETS") : DEV_WEBHOOK_SECRETS;
        String resendApiKey = env.getOrDefault("MAILTRAIL_RESEND_API_KEY", DEV_RESEND_API_KEY);

        Duration readyTimeout = Duration.ofSeconds(number(env, "MAILTRAIL_READY_TIMEOUT_SECONDS", 180, 86_400));
        // Serial GC: what the JVM itself picks in the pods' 1-1.5 GiB containers. On a machine with more memory it
        // would pick G1, whose barriers and concurrent threads cost the 2-core bench VM a third of the ingest's CPU
        List<String> jvmOptions =
                new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
        if (!blank(env.get("MAILTRAIL_JAVA_OPTS"))) {
            jvmOptions.addAll(List.of(env.get("MAILTRAIL_JAVA_OPTS").trim().split("\\s+")));
        }

        // The parent's environment plus every value the local stack implies, always explicit so
        // that a service's own default can never disagree with what the launcher waits for.
        Map<String, String> serviceEnv = new LinkedHashMap<>(env);
        serviceEnv.put("MAILTRAIL_DB_HOST", dbHost);
        serviceEnv.put("MAILTRAIL_DB_PORT", Integer.toString(dbPort));
        serviceEnv.put("MAILTRAIL_DB_NAME", dbName);
        serviceEnv.put("MAILTRAIL_DB_USER", dbUser);
        serviceEnv.put("MAILTRAIL_DB_PASSWORD", dbPassword);
        serviceEnv.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        serviceEnv.put("MAILTRAIL_SIMULATOR_PORT", Integer.toString(simulatorPort));
        serviceEnv.put("MAILTRAIL_INGEST_PORT", Integer.toString(ingestPort));
        serviceEnv.put("MAILTRAIL_INGEST_MANAGEMENT_PORT", Integer.toString(ingestManagementPort));
        serviceEnv.put("MAILTRAIL_SEND_PORT", Integer.toString(sendPort));
        serviceEnv.put("MAILTRAIL_SEND_MANAGEMENT_PORT", Integer.toString(sendManagementPort));
        serviceEnv.put("SERVER_ADDRESS", LOOPBACK);
        // set per service by envOf: the simulator, without a management port of its own, refuses to start with it
        serviceEnv.remove("MANAGEMENT_SERVER_ADDRESS");
        serviceEnv.put("MAILTRAIL_API_TOKENS", tokens);
        serviceEnv.put("MAILTRAIL_RESEND_WEBHOOK_SECRETS", secrets);
        serviceEnv.put("MAILTRAIL_RESEND_API_KEY", resendApiKey);
        serviceEnv.putIfAbsent("MAILTRAIL_TRACKING_KEYS", DEV_TRACKING_KEYS);
        serviceEnv.putIfAbsent("MAILTRAIL_IP_HASH_SALT", DEV_IP_HASH_SALT);
        // the services refuse the values above anywhere else (DevSecretGuard)
        serviceEnv.putIfAbsent(DevSecret.OVERRIDE, "true");
        serviceEnv.putIfAbsent("MAILTRAIL_RESEND_BASE_URL", "http://127.0.0.1:" + simulatorPort);
        serviceEnv.putIfAbsent(
                "MAILTRAIL_SIMULATOR_WEBHOOK_URL", "http://127.0.0.1:" + ingestPort + "/api/webhooks/resend");
        serviceEnv.putIfAbsent("MAILTRAIL_TRACKING_BASE_URL", "http://127.0.0.1:" + ingestPort);
        // the timeline page's "send a test email" form exists only here
        serviceEnv.putIfAbsent("MAILTRAIL_UI_DEV_TOOLS", "true");
        serviceEnv.putIfAbsent("MAILTRAIL_UI_DEFAULT_TENANT", "demo");

        return new StackConfig(
                root,
                home,
                infraOnly,
                embeddedPostgres,
                dbHost,
                dbPort,
                dbName,
                dbUser,
                dbPassword,
                embeddedKafka,
                bootstrap,
                kafkaPort,
                kafkaControllerPort,
                simulatorPort,
                ingestPort,
                ingestManagementPort,
                sendPort,
                sendManagementPort,
                firstToken(tokens),
                tokensFromEnv,
                secrets.split(",")[0].trim(),
                secretsFromEnv,
                resendApiKey,
                readyTimeout,
                List.copyOf(jvmOptions),
                Map.copyOf(serviceEnv));
    }

    /** Whether services start with class data sharing ({@link ClassDataSharing}): unless MAILTRAIL_CDS is false. */
    public boolean classDataSharing() {
        return !"false"
                .equalsIgnoreCase(
                        serviceEnv.getOrDefault("MAILTRAIL_CDS", "true").trim());
    }

    /** The environment of one service process: {@link #serviceEnv}, plus the address of its management port. */
    public Map<String, String> envOf(Component service) {
        if (service.managementPort(this).isEmpty()) {
            return serviceEnv; // one port, which SERVER_ADDRESS binds
        }
        Map<String, String> env = new LinkedHashMap<>(serviceEnv);
        env.put("MANAGEMENT_SERVER_ADDRESS", LOOPBACK);
        return Map.copyOf(env);
    }

    public Path jarOf(Component service) {
        return repoRoot.resolve(service.id()).resolve("target").resolve(service.id() + "-" + VERSION + "-exec.jar");
    }

    public Path kafkaLibs() {
        return repoRoot.resolve("local-stack").resolve("target").resolve("kafka-libs");
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path pidFile() {
        return home.resolve("mailtrail.pid");
    }

    /** Exec jars the full stack needs that do not exist; empty when everything is built. */
    public List<Path> missingJars() {
        if (infraOnly) {
            return List.of();
        }
        return Component.services().stream()
                .map(this::jarOf)
                .filter(p -> !Files.isRegularFile(p))
                .toList();
    }

    /** Where a service answers health: its management port, or its one port. */
    public String healthUrl(Component service) {
        return "http://" + LOOPBACK + ":" + service.managementPort(this).orElse(service.port(this))
                + "/actuator/health";
    }

    /** A service's HTTP base URL. */
    public String url(Component service) {
        return "http://" + LOOPBACK + ":" + service.port(this);
    }

    /** Ports the processes we start will bind; checked up front so a clash is named, not a stack trace. */
    public Map<String, Integer> portsToBind() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (embeddedPostgres) {
            ports.put("postgres", dbPort);
        }
        if (embeddedKafka) {
            ports.put("kafka", kafkaPort);
            ports.put("kafka controller", kafkaControllerPort);
        }
        if (!infraOnly) {
            ports.put("resend-simulator", simulatorPort);
            ports.put("webhook-ingest-service", ingestPort);
            ports.put("webhook-ingest-service management", ingestManagementPort);
            ports.put("send-service", sendPort);
            ports.put("send-service management", sendManagementPort);
        }
        return ports;
    }

    public String simulatorUrl() {
        return url(Component.RESEND_SIMULATOR);
    }

    public String ingestUrl() {
        return url(Component.WEBHOOK_INGEST);
    }

    public String sendUrl() {
        return url(Component.SEND_SERVICE);
    }

    /** Without secrets or the environment: safe to log. */
    @Override
    public String toString() {
        return "StackConfig[home=" + home + ", infraOnly=" + infraOnly + ", db=" + dbHost + ":" + dbPort + "/" + dbName
                + (embeddedPostgres ? " (embedded)" : "") + ", kafka=" + kafkaBootstrapServers
                + (embeddedKafka ? " (embedded)" : "")
                + ", ports simulator=" + simulatorPort + " ingest=" + ingestPort + "/" + ingestManagementPort
                + " send=" + sendPort + "/" + sendManagementPort + "]";
    }

    private static String firstToken(String tokens) {
        // An entry may be "token:tenant"; the demo needs just the token part of the first entry.
        String first = tokens.split(",")[0].trim();
        int colon = first.indexOf(':');
        return colon < 0 ? first : first.substring(0, colon);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        return number(env, name, fallback, 65535);
    }

    private static int number(Map<String, String> env, String name, int fallback, int max) {
        String value = env.get(name);
        if (blank(value)) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1 || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number in 1.." + max + ", was '" + value + "'");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String loadVersion() {
        try (InputStream in = StackConfig.class.getResourceAsStream("/local-stack.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            String version = properties.getProperty("version", "");
            return version.isEmpty() || version.startsWith("$") ? "0.1.0-SNAPSHOT" : version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
