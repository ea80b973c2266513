package dev.mailtrail.localstack;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.ToIntFunction;

/**
 * The parts of the local stack, in start order (stopped in reverse). Each names its log (logs/&lt;id&gt;.log) and
 * its line in the pid file; a service also names its module and the ports it listens on.
 */
public enum Component {
    POSTGRES("postgres", "postgres", StackConfig::dbPort, null, false),
    KAFKA("kafka", "kafka", StackConfig::kafkaPort, null, false),
    /** One port, which also answers health: Spring Boot refuses a management address without a port of its own. */
    RESEND_SIMULATOR("resend-simulator", "simulator", StackConfig::simulatorPort, null, true),
    WEBHOOK_INGEST(
            "webhook-ingest-service", "ingest", StackConfig::ingestPort, StackConfig::ingestManagementPort, true),
    SEND_SERVICE("send-service", "send", StackConfig::sendPort, StackConfig::sendManagementPort, true);

    private final String id;
    private final String label;
    private final ToIntFunction<StackConfig> port;
    private final ToIntFunction<StackConfig> managementPort;
    private final boolean service;

    Component(
            String id,
            String label,
            ToIntFunction<StackConfig> port,
            ToIntFunction<StackConfig> managementPort,
            boolean service) {
        this.id = id;
        this.label = label;
        this.port = port;
        this.managementPort = managementPort;
        this.service = service;
    }

    /** The three services, in start order. */
    public static List<Component> services() {
        return Arrays.stream(values()).filter(Component::isService).toList();
    }

    /** Its name in logs, the pid file and messages; a service's is its module (and jar) name. */
    public String id() {
        return id;
    }

    /** The short name in the start-up lines. */
    public String label() {
        return label;
    }

    /** One of our Spring Boot services (a module's exec jar), rather than infrastructure. */
    public boolean isService() {
        return service;
    }

    public int port(StackConfig config) {
        return port.applyAsInt(config);
    }

    /** The port a service answers health and metrics on; empty where that is its only port. */
    public OptionalInt managementPort(StackConfig config) {
        return managementPort == null ? OptionalInt.empty() : OptionalInt.of(managementPort.applyAsInt(config));
    }

    @Override
    public String toString() {
        return id;
    }
}
