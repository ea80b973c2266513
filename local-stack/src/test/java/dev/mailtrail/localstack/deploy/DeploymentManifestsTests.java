package dev.mailtrail.localstack.deploy;

import static dev.mailtrail.localstack.deploy.DeployFiles.at;
import static dev.mailtrail.localstack.deploy.DeployFiles.kind;
import static dev.mailtrail.localstack.deploy.DeployFiles.list;
import static dev.mailtrail.localstack.deploy.DeployFiles.map;
import static dev.mailtrail.localstack.deploy.DeployFiles.name;
import static dev.mailtrail.localstack.deploy.DeployFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailtrail.events.secrets.DevSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The production deployment artifacts keep their promises: docker-compose.yml, the Dockerfiles, the kustomize
 * base, components and overlays under k8s/, the Prometheus rules and the Grafana dashboard. Kubernetes checks run on
 * {@code kubectl kustomize} output when a kubectl with kustomize v4+ is on PATH, else on the raw files (overlay
 * patches then go unchecked); {@code docker-compose config}, {@code kubectl kustomize} and {@code promtool} themselves
 * run only where installed, and are skipped with a message otherwise.
 */
class DeploymentManifestsTests {

    private static final Path ROOT = DeployFiles.repoRoot();

    private static final List<String> SERVICES = List.of("webhook-ingest-service", "send-service");

    private static final Map<String, Integer> MANAGEMENT_PORTS =
            Map.of("webhook-ingest-service", 9081, "send-service", 9082);

    private static final String SIMULATOR = "resend-simulator";

    private static final List<String> MODULES = List.of("webhook-ingest-service", "send-service", SIMULATOR);

    private static final List<String> OVERLAYS = List.of("dev", "prod", "prod-strimzi");

    /** events-schema's Topics (local-stack does not depend on it). */
    private static final List<String> TOPICS = List.of(
            "crm.email.send-commands",
            "crm.email.events",
            "crm.email.activity-state",
            "crm.email.webhooks-unrecognized",
            "crm.email.events-dlt",
            "crm.email.send-commands-dlt");

    private static final String COMPACTED_TOPIC = "crm.email.activity-state";

    /** The ingest declares it with one partition whatever mailtrail.kafka.partitions says. */
    private static final String SINGLE_PARTITION_TOPIC = "crm.email.webhooks-unrecognized";

    private static final Pattern SECRET_LIKE = Pattern.compile("SECRET|PASSWORD|TOKEN|API_KEY|_KEYS$|SALT|JAAS");

    /** The secrets each service refuses at their development values (DevSecretGuard), by service. */
    private static final Map<String, List<DevSecret>> SERVICE_SECRETS = Map.of(
            "webhook-ingest-service",
                    List.of(DevSecret.RESEND_WEBHOOK_SECRETS, DevSecret.TRACKING_KEYS, DevSecret.IP_HASH_SALT),
            "send-service",
                    List.of(
                            DevSecret.API_TOKENS,
                            DevSecret.RESEND_API_KEY,
                            DevSecret.TRACKING_KEYS,
                            DevSecret.IP_HASH_SALT));

    /** How docker-compose.yml takes a secret: from the environment, or it stops and says where to look. */
    private static final Pattern REQUIRED_FROM_ENVIRONMENT =
            Pattern.compile("\\$\\{([A-Z0-9_]+):\\?set \\1 \\(see \\.env\\.example\\)}");

    /** Grafana's dashboard sidecar (kube-prometheus-stack) loads it: deploy/grafana/kustomization.yaml generates it. */
    private static final String DASHBOARD_CONFIG_MAP = "mailtrail-grafana-dashboard";

    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    private static volatile List<Manifests> units;

    /** What one kustomization deploys: rendered by kubectl, or assembled from the raw files. */
    record Manifests(String name, List<Map<String, Object>> docs, boolean rendered) {

        @Override
        public String toString() {
            return name + (rendered ? " (kubectl kustomize)" : " (raw files)");
        }

        boolean production() {
            return !name.equals("dev");
        }

        Stream<Map<String, Object>> ofKind(String kind) {
            return docs.stream().filter(d -> kind.equals(kind(d)));
        }

        Optional<Map<String, Object>> find(String kind, String name) {
            return ofKind(kind).filter(d -> name.equals(DeployFiles.name(d))).findFirst();
        }

        /** The ConfigMap data of a service. */
        Map<String, String> config(String service) {
            Map<String, String> data = new LinkedHashMap<>();
            find("ConfigMap", service + "-config")
                    .ifPresent(cm -> map(cm.get("data")).forEach((k, v) -> data.put(k, String.valueOf(v))));
            return data;
        }

        /** A service's own container in its Deployment. */
        Object container(String service) {
            Map<String, Object> deployment = find("Deployment", service)
                    .orElseThrow(() -> new AssertionError(this + ": no Deployment " + service));
            return containers(map(at(deployment, "spec", "template", "spec"))).stream()
                    .filter(c -> service.equals(text(c, "name")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(this + ": no container " + service));
        }
    }

    // ------------------------------------------------------------------ docker-compose and images

    @Test
    void composeServicesHaveHealthchecksMemoryLimitsAndImagesFromTheEnvFile() {
        Map<String, String> env = DeployFiles.envFile(ROOT.resolve(".env"));
        List<String> problems = new ArrayList<>();
        composeServices().forEach((service, spec) -> {
            if (at(spec, "healthcheck", "test") == null) {
                problems.add(service + ": no healthcheck");
            }
            if (at(spec, "mem_limit") == null) {
                problems.add(service + ": no mem_limit");
            }
            String image = text(spec, "image");
            if (image == null) {
                problems.add(service + ": no image");
                return;
            }
            Matcher vars = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(image);
            boolean anyVar = false;
            while (vars.find()) {
                anyVar = true;
                if (!env.containsKey(vars.group(1))) {
                    problems.add(service + ": image variable " + vars.group(1) + " is not in .env");
                }
            }
            if (!anyVar || !image.matches("(\\$\\{[A-Z0-9_]+}|mailtrail/[a-z-]+:\\$\\{MAILTRAIL_VERSION})")) {
                problems.add(service + ": image '" + image + "' is not pinned through .env");
            }
            if (at(spec, "build") != null && !"${JRE_IMAGE}".equals(text(spec, "build", "args", "JRE_IMAGE"))) {
                problems.add(service + ": build does not pass JRE_IMAGE from .env");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void envFilePinsEveryImageByVersion() {
        Map<String, String> env = DeployFiles.envFile(ROOT.resolve(".env"));
        assertThat(env)
                .containsKeys(
                        "MAILTRAIL_VERSION",
                        "JRE_IMAGE",
                        "KAFKA_IMAGE",
                        "POSTGRES_IMAGE",
                        "PROMETHEUS_IMAGE",
                        "GRAFANA_IMAGE");
        env.forEach((key, value) -> {
            assertThat(value).as(key).doesNotContainIgnoringCase("latest").isNotBlank();
            if (key.endsWith("_IMAGE")) {
                assertThat(value)
                        .as(key + " has a version tag")
                        .matches("[a-z0-9./-]+:v?\\d+(\\.\\d+)+[A-Za-z0-9._-]*");
            }
        });
        assertThat(env.get("KAFKA_IMAGE")).as("the Kafka image").startsWith("apache/kafka:");
        assertThat(env.get("POSTGRES_IMAGE")).as("PostgreSQL 17").startsWith("postgres:17.");
    }

    @Test
    void composeWaitsForHealthyDependencies() {
        List<String> problems = new ArrayList<>();
        composeServices().forEach((service, spec) -> {
            Object dependsOn = spec.get("depends_on");
            if (dependsOn instanceof List<?>) {
                problems.add(service + ": depends_on without condition: service_healthy");
            }
            map(dependsOn).forEach((dependency, condition) -> {
                if (!"service_healthy".equals(text(condition, "condition"))) {
                    problems.add(service + " -> " + dependency + ": not condition: service_healthy");
                }
            });
        });
        assertThat(problems).isEmpty();
        assertThat(map(composeServices().get("send-service").get("depends_on"))).containsKeys("kafka", "postgres");
        assertThat(map(composeServices().get("webhook-ingest-service").get("depends_on")))
                .containsKey("kafka");
    }

    @Test
    void composeRunsTheSimulatorOnlyInTheDevProfileBoundToAllInterfaces() {
        Map<String, Map<String, Object>> services = composeServices();
        assertThat(services)
                .containsKeys(
                        "kafka",
                        "postgres",
                        "webhook-ingest-service",
                        "send-service",
                        SIMULATOR,
                        "prometheus",
                        "grafana");
        assertThat(list(services.get(SIMULATOR).get("profiles"))).containsExactly("dev");
        assertThat(text(services.get(SIMULATOR), "environment", "MAILTRAIL_SIMULATOR_ADDRESS"))
                .isEqualTo("0.0.0.0");
        services.forEach((service, spec) -> {
            if (!service.equals(SIMULATOR)) {
                assertThat(spec.get("profiles"))
                        .as(service + " runs without a profile")
                        .isNull();
                assertThat(map(spec.get("depends_on")))
                        .as(service + " must not need the dev-only simulator")
                        .doesNotContainKey(SIMULATOR);
            }
        });
        assertThat(text(services.get("kafka"), "image")).isEqualTo("${KAFKA_IMAGE}");
        assertThat(text(services.get("postgres"), "image")).isEqualTo("${POSTGRES_IMAGE}");
    }

    @Test
    void composeTakesEverySecretFromTheEnvironmentAndNeverAllowsTheDevelopmentOnes() {
        Map<String, Map<String, Object>> services = composeServices();
        Set<String> required = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        services.forEach((service, spec) -> map(spec.get("environment")).forEach((name, value) -> {
            if (name.equals(DevSecret.OVERRIDE)) {
                problems.add(service + " sets " + name);
            } else if (secretLike(name)) {
                Matcher reference = REQUIRED_FROM_ENVIRONMENT.matcher(String.valueOf(value));
                if (reference.matches()) {
                    required.add(reference.group(1));
                } else {
                    problems.add(service + ": " + name + " is not required from the environment: " + value);
                }
            }
        }));
        assertThat(problems).isEmpty();
        SERVICE_SECRETS.forEach((service, secrets) ->
                secrets.forEach(secret -> assertThat(text(services.get(service), "environment", secret.variable()))
                        .as(service + " " + secret.variable())
                        .matches(REQUIRED_FROM_ENVIRONMENT)));
        String compose = DeployFiles.read(ROOT.resolve("docker-compose.yml"));
        for (DevSecret secret : DevSecret.values()) {
            assertThat(compose).as("docker-compose.yml").doesNotContain(secret.value());
        }

        // compose reads .env by itself: it holds image versions only; .env.example names every secret, with no value
        assertThat(DeployFiles.envFile(ROOT.resolve(".env")).keySet()).noneMatch(DeploymentManifestsTests::secretLike);
        Map<String, String> example = DeployFiles.envFile(ROOT.resolve(".env.example"));
        assertThat(example.keySet()).as(".env.example").containsExactlyInAnyOrderElementsOf(required);
        assertThat(example.values()).as(".env.example values").allMatch(String::isEmpty);
    }

    @Test
    void prometheusScrapesBothManagementPortsAndGrafanaIsProvisionedFromFiles() {
        Object prometheus = MetricNamesInDeployment.loadYaml(ROOT.resolve("deploy/prometheus/prometheus.yml"));
        Set<String> targets = new TreeSet<>();
        for (Object job : list(at(prometheus, "scrape_configs"))) {
            assertThat(text(job, "metrics_path")).isEqualTo("/actuator/prometheus");
            list(at(job, "static_configs"))
                    .forEach(sc -> list(at(sc, "targets")).forEach(t -> targets.add(String.valueOf(t))));
        }
        assertThat(targets).contains("webhook-ingest-service:9081", "send-service:9082");
        assertThat(list(at(prometheus, "rule_files"))).isNotEmpty();

        List<String> grafanaVolumes = list(composeServices().get("grafana").get("volumes")).stream()
                .map(String::valueOf)
                .toList();
        assertThat(grafanaVolumes)
                .anyMatch(v -> v.startsWith("./deploy/grafana/provisioning/datasources:"))
                .anyMatch(v -> v.startsWith("./deploy/grafana/provisioning/dashboards:"))
                .anyMatch(v -> v.startsWith("./deploy/grafana/dashboards:/var/lib/grafana/dashboards"));
        Object provider =
                MetricNamesInDeployment.loadYaml(ROOT.resolve("deploy/grafana/provisioning/dashboards/mailtrail.yml"));
        assertThat(text(provider, "providers", 0, "options", "path")).isEqualTo("/var/lib/grafana/dashboards");
        Object datasource = MetricNamesInDeployment.loadYaml(
                ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(text(datasource, "datasources", 0, "type")).isEqualTo("prometheus");
        assertThat(text(datasource, "datasources", 0, "url")).isEqualTo("http://prometheus:9090");
    }

    @Test
    void dockerfilesBuildLayeredNonRootImagesWithAHealthcheck() {
        String jre = DeployFiles.envFile(ROOT.resolve(".env")).get("JRE_IMAGE");
        for (String module : MODULES) {
            String dockerfile = DeployFiles.read(ROOT.resolve(module).resolve("Dockerfile"));
            assertThat(dockerfile)
                    .as(module)
                    .contains("ARG JRE_IMAGE=" + jre)
                    .contains("FROM ${JRE_IMAGE} AS layers")
                    .contains("COPY target/" + module + "-*-exec.jar")
                    .contains("extract --layers --launcher")
                    .contains("org.springframework.boot.loader.launch.JarLauncher")
                    .containsPattern("(?m)^USER [1-9]\\d*:[1-9]\\d*$")
                    .doesNotContainIgnoringCase(":latest");
            String healthcheck = module.equals(SIMULATOR)
                    ? ":-8090}/actuator/health "
                    : ":-" + MANAGEMENT_PORTS.get(module) + "}/actuator/health/liveness ";
            assertThat(dockerfile)
                    .as(module)
                    .containsPattern("(?m)^HEALTHCHECK ")
                    .contains(healthcheck);
        }
    }

    @Test
    void dockerComposeAcceptsTheFile() {
        Optional<Path> tool = DeployFiles.onPath("docker-compose");
        assumeTrue(
                tool.isPresent(),
                "docker-compose not installed: skipping `docker-compose config -q` "
                        + "(apt-get install docker-compose; .ci/run does where Debian has it)");
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, String> noSecrets = new LinkedHashMap<>();
        DeployFiles.envFile(ROOT.resolve(".env.example")).keySet().forEach(name -> {
            secrets.put(name, "not-a-real-" + name.toLowerCase(Locale.ROOT));
            noSecrets.put(name, null);
        });
        for (List<String> args : List.of(List.of("config", "-q"), List.of("--profile", "dev", "config", "-q"))) {
            List<String> command = new ArrayList<>(List.of(tool.get().toString(), "-f", "docker-compose.yml"));
            command.addAll(args);
            DeployFiles.Result result = DeployFiles.run(ROOT, command, secrets);
            assertThat(result.exitCode())
                    .as(String.join(" ", command) + "\n" + result.describe())
                    .isZero();
            // without them it stops and says which one is missing and where to look
            DeployFiles.Result refused = DeployFiles.run(ROOT, command, noSecrets);
            assertThat(refused.exitCode())
                    .as(String.join(" ", command) + " without secrets")
                    .isNotZero();
            assertThat(refused.stdout() + refused.stderr()).containsPattern("set [A-Z_]+ \\(see \\.env\\.example\\)");
        }
    }

    // ------------------------------------------------------------------ Kubernetes

    @Test
    void everyKubernetesFileParses() {
        for (Path file : MetricNamesInDeployment.files(ROOT.resolve("k8s"), ".yaml")) {
            List<Object> docs = MetricNamesInDeployment.loadAllYaml(file);
            assertThat(docs).as(file.toString()).isNotEmpty();
            for (Object doc : docs) {
                if (doc instanceof List<?>) {
                    // a JSON 6902 patch
                    list(doc)
                            .forEach(op -> assertThat(text(op, "op"))
                                    .as(file + ": patch op")
                                    .isNotNull());
                    continue;
                }
                assertThat(text(doc, "apiVersion")).as(file + ": apiVersion").isNotNull();
                assertThat(text(doc, "kind")).as(file + ": kind").isNotNull();
                if (!file.getFileName().toString().equals("kustomization.yaml")) {
                    assertThat(text(doc, "metadata", "name"))
                            .as(file + ": metadata.name")
                            .isNotNull();
                }
            }
        }
    }

    @Test
    void kustomizeRendersTheBaseAndEveryOverlay() {
        String problem = kubectlProblem();
        assumeTrue(problem == null, problem);
        for (String dir : kustomizations()) {
            DeployFiles.Result result = DeployFiles.run(ROOT, List.of("kubectl", "kustomize", dir));
            assertThat(result.exitCode())
                    .as("kubectl kustomize " + dir + "\n" + result.describe())
                    .isZero();
            assertThat(DeployFiles.documents(result.stdout())).as(dir).isNotEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void workloadsRunNonRootReadOnlyWithoutCapabilitiesAndWithResources(Manifests m) {
        List<String> problems = new ArrayList<>();
        m.docs().stream().filter(d -> WORKLOAD_KINDS.contains(kind(d))).forEach(workload -> {
            String w = kind(workload) + "/" + name(workload);
            Map<String, Object> pod = map(at(workload, "spec", "template", "spec"));
            Map<String, Object> podSecurity = map(pod.get("securityContext"));
            if (!Boolean.FALSE.equals(pod.get("automountServiceAccountToken"))) {
                problems.add(w + ": automountServiceAccountToken is not false");
            }
            for (Object c : containers(pod)) {
                String where = w + " container " + text(c, "name");
                Map<String, Object> sc = map(at(c, "securityContext"));
                if (!Boolean.TRUE.equals(sc.getOrDefault("runAsNonRoot", podSecurity.get("runAsNonRoot")))) {
                    problems.add(where + ": runAsNonRoot is not true");
                }
                Object uid = sc.getOrDefault("runAsUser", podSecurity.get("runAsUser"));
                if (uid == null || Integer.parseInt(String.valueOf(uid)) == 0) {
                    problems.add(where + ": no non-zero runAsUser (images with a named USER cannot be verified)");
                }
                String seccomp = text(sc, "seccompProfile", "type");
                if (!"RuntimeDefault".equals(seccomp != null ? seccomp : text(podSecurity, "seccompProfile", "type"))) {
                    problems.add(where + ": seccompProfile is not RuntimeDefault");
                }
                if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                    problems.add(where + ": allowPrivilegeEscalation is not false");
                }
                if (!list(at(sc, "capabilities", "drop")).contains("ALL")) {
                    problems.add(where + ": capabilities do not drop ALL");
                }
                if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
                    problems.add(where + ": readOnlyRootFilesystem is not true");
                }
                for (String[] resource :
                        new String[][] {{"requests", "cpu"}, {"requests", "memory"}, {"limits", "memory"}}) {
                    if (at(c, "resources", resource[0], resource[1]) == null) {
                        problems.add(where + ": no resources." + resource[0] + "." + resource[1]);
                    }
                }
                String image = text(c, "image");
                if (image == null
                        || !image.matches("[^:@]+(:[A-Za-z0-9._-]+)(@sha256:[0-9a-f]{64})?")
                        || image.contains(":latest")) {
                    problems.add(where + ": image '" + image + "' is not pinned to a version");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void servicesProbeBootsHealthGroupsOnTheManagementPortAndShutDownGracefully(Manifests m) {
        for (String service : SERVICES) {
            Map<String, Object> deployment = m.find("Deployment", service)
                    .orElseThrow(() -> new AssertionError(m + ": no Deployment " + service));
            Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
            Object container = containers(pod).stream()
                    .filter(c -> service.equals(text(c, "name")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(m + ": no container " + service));
            int managementPort = MANAGEMENT_PORTS.get(service);
            assertThat(list(at(container, "ports")))
                    .as(service + " ports")
                    .anyMatch(p -> "management".equals(text(p, "name"))
                            && String.valueOf(managementPort).equals(text(p, "containerPort")));
            Set<String> managementPortRefs = Set.of("management", String.valueOf(managementPort));
            for (String[] probe : new String[][] {
                {"livenessProbe", "/actuator/health/liveness"}, {"readinessProbe", "/actuator/health/readiness"}
            }) {
                assertThat(text(container, probe[0], "httpGet", "path"))
                        .as(service + " " + probe[0])
                        .isEqualTo(probe[1]);
                assertThat(managementPortRefs)
                        .as(service + " " + probe[0] + " port")
                        .contains(text(container, probe[0], "httpGet", "port"));
            }
            if (at(container, "startupProbe") != null) {
                assertThat(managementPortRefs)
                        .as(service + " startupProbe port")
                        .contains(text(container, "startupProbe", "httpGet", "port"));
            }
            assertTmpIsAnEmptyDir(service, pod, container);

            Map<String, String> config = m.config(service);
            String timeout = envValue(container, "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE")
                    .orElse(config.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
            assertThat(timeout)
                    .as(m + " " + service + ": spring.lifecycle.timeout-per-shutdown-phase")
                    .isNotNull();
            List<Object> preStop = list(at(container, "lifecycle", "preStop", "exec", "command"));
            assertThat(preStop).as(service + " preStop").hasSize(2).first().isEqualTo("sleep");
            Duration drain = Duration.ofSeconds(Long.parseLong(String.valueOf(preStop.get(1))))
                    .plus(DeployFiles.duration(timeout));
            Object grace = pod.get("terminationGracePeriodSeconds");
            assertThat(grace).as(service + " terminationGracePeriodSeconds").isNotNull();
            assertThat(Duration.ofSeconds(Long.parseLong(String.valueOf(grace))))
                    .as(service + ": grace period above preStop sleep + shutdown phase")
                    .isGreaterThan(drain);
        }
        m.find("Deployment", SIMULATOR).ifPresent(deployment -> {
            Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
            Object container = containers(pod).get(0);
            for (String probe : List.of("livenessProbe", "readinessProbe")) {
                assertThat(text(container, probe, "httpGet", "path"))
                        .as("simulator " + probe)
                        .isEqualTo("/actuator/health");
                assertThat(Set.of("http", "8090")).contains(text(container, probe, "httpGet", "port"));
            }
            assertThat(envValue(container, "MAILTRAIL_SIMULATOR_ADDRESS")).contains("0.0.0.0");
            assertTmpIsAnEmptyDir(SIMULATOR, pod, container);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void secretsAreReferencedNeverInlined(Manifests m) {
        List<String> problems = new ArrayList<>();
        if (m.production()) {
            m.ofKind("Secret").forEach(s -> problems.add("Secret/" + name(s) + " is inlined; the operator creates it"));
        }
        m.docs().stream().filter(d -> WORKLOAD_KINDS.contains(kind(d))).forEach(workload -> {
            for (Object c : containers(map(at(workload, "spec", "template", "spec")))) {
                for (Object env : list(at(c, "env"))) {
                    String var = text(env, "name");
                    if (secretLike(var) && at(env, "valueFrom", "secretKeyRef") == null) {
                        problems.add(name(workload) + ": " + var + " does not come from a secretKeyRef");
                    }
                }
            }
        });
        m.ofKind("ConfigMap")
                .forEach(cm -> map(cm.get("data")).keySet().stream()
                        .filter(DeploymentManifestsTests::secretLike)
                        .forEach(key -> problems.add("ConfigMap/" + name(cm) + " holds " + key)));
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void onlyTheDevOverlayAllowsTheDevelopmentSecretsAndEverySecretIsRequired(Manifests m) {
        for (String service : SERVICES) {
            Map<String, Object> deployment = m.find("Deployment", service).orElseThrow();
            Object container =
                    containers(map(at(deployment, "spec", "template", "spec"))).get(0);
            if (m.production()) {
                assertThat(m.config(service)).as(m + " " + service).doesNotContainKey(DevSecret.OVERRIDE);
                assertThat(list(at(container, "env")))
                        .as(m + " " + service)
                        .noneMatch(e -> DevSecret.OVERRIDE.equals(text(e, "name")));
            } else {
                assertThat(m.config(service)).as(m + " " + service).containsEntry(DevSecret.OVERRIDE, "true");
            }
            for (DevSecret secret : SERVICE_SECRETS.get(service)) {
                Object ref = list(at(container, "env")).stream()
                        .filter(e -> secret.variable().equals(text(e, "name")))
                        .map(e -> at(e, "valueFrom", "secretKeyRef"))
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(
                                m + " " + service + ": " + secret.variable() + " does not come from a Secret"));
                assertThat(at(ref, "optional"))
                        .as(m + " " + service + ": " + secret.variable() + " is optional")
                        .isNotEqualTo(true);
            }
        }
    }

    @Test
    void theDocsNameEverySecretKeyTheBaseNeeds() {
        String readme = DeployFiles.read(ROOT.resolve("docs/operations.md"));
        Manifests base =
                units().filter(u -> u.name().equals("base")).findFirst().orElseThrow();
        Set<String> refs = new TreeSet<>();
        base.docs().stream()
                .filter(d -> WORKLOAD_KINDS.contains(kind(d)))
                .forEach(workload -> containers(map(at(workload, "spec", "template", "spec")))
                        .forEach(c -> list(at(c, "env")).forEach(env -> {
                            Object ref = at(env, "valueFrom", "secretKeyRef");
                            if (ref != null) {
                                refs.add(text(ref, "name") + "/" + text(ref, "key"));
                            }
                        })));
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            String[] nameAndKey = ref.split("/");
            assertThat(readme)
                    .as("docs/operations.md names Secret " + nameAndKey[0])
                    .contains("`" + nameAndKey[0] + "`");
            assertThat(readme).as("docs/operations.md names key " + ref).contains("`" + nameAndKey[1] + "`");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void ingestAutoscalesAndEveryServiceHasADisruptionBudget(Manifests m) {
        Map<String, Object> hpa = m.ofKind("HorizontalPodAutoscaler")
                .filter(h -> "webhook-ingest-service".equals(text(h, "spec", "scaleTargetRef", "name"))
                        && "Deployment".equals(text(h, "spec", "scaleTargetRef", "kind")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(m + ": no HPA for the ingest"));
        int min = Integer.parseInt(text(hpa, "spec", "minReplicas"));
        int max = Integer.parseInt(text(hpa, "spec", "maxReplicas"));
        assertThat(min).isPositive();
        assertThat(max).isGreaterThanOrEqualTo(min);
        if (m.production()) {
            assertThat(min).as(m + ": ingest minReplicas").isGreaterThanOrEqualTo(2);
        }
        assertThat(at(m.find("Deployment", "webhook-ingest-service").orElseThrow(), "spec", "replicas"))
                .as("the HPA, not the Deployment, sets the ingest's replicas")
                .isNull();
        for (String service : SERVICES) {
            Map<String, Object> podLabels =
                    map(at(m.find("Deployment", service).orElseThrow(), "spec", "template", "metadata", "labels"));
            assertThat(m.ofKind("PodDisruptionBudget"))
                    .as(m + ": PodDisruptionBudget for " + service)
                    .anyMatch(pdb -> {
                        Map<String, Object> selector = map(at(pdb, "spec", "selector", "matchLabels"));
                        return !selector.isEmpty()
                                && podLabels.entrySet().containsAll(selector.entrySet())
                                && (at(pdb, "spec", "maxUnavailable") != null
                                        || at(pdb, "spec", "minAvailable") != null);
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void ingressesServeWebhooksAndRateLimitedTrackingOverTls(Manifests m) {
        List<Map<String, Object>> ingresses = m.ofKind("Ingress").toList();
        assertThat(ingresses).as(m + ": Ingresses").isNotEmpty();
        boolean webhooks = false;
        boolean tracking = false;
        for (Map<String, Object> ingress : ingresses) {
            Set<String> tlsHosts = new HashSet<>();
            list(at(ingress, "spec", "tls"))
                    .forEach(tls -> list(at(tls, "hosts")).forEach(h -> tlsHosts.add(String.valueOf(h))));
            Map<String, Object> annotations = map(at(ingress, "metadata", "annotations"));
            for (Object rule : list(at(ingress, "spec", "rules"))) {
                assertThat(tlsHosts)
                        .as(name(ingress) + ": TLS for " + text(rule, "host"))
                        .contains(text(rule, "host"));
                for (Object path : list(at(rule, "http", "paths"))) {
                    String p = text(path, "path");
                    String port = Objects.requireNonNullElse(
                            text(path, "backend", "service", "port", "name"),
                            text(path, "backend", "service", "port", "number"));
                    assertThat(port)
                            .as(name(ingress) + " " + p + " must not expose the management port")
                            .isNotIn("management", "9081", "9082");
                    if (p.equals("/api/webhooks/resend")
                            && "webhook-ingest-service".equals(text(path, "backend", "service", "name"))) {
                        webhooks = true;
                    }
                    if (p.startsWith("/t/")
                            && "webhook-ingest-service".equals(text(path, "backend", "service", "name"))) {
                        assertThat(annotations)
                                .as(name(ingress) + ": rate limit on " + p)
                                .containsKey("nginx.ingress.kubernetes.io/limit-rps");
                        assertThat(Integer.parseInt(
                                        String.valueOf(annotations.get("nginx.ingress.kubernetes.io/limit-rps"))))
                                .isPositive();
                        tracking = true;
                    }
                }
            }
        }
        assertThat(webhooks).as(m + ": an Ingress for /api/webhooks/resend").isTrue();
        assertThat(tracking).as(m + ": an Ingress for the tracking paths /t/").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("productionUnits")
    void theSimulatorIsNeverDeployedOutsideDev(Manifests m) {
        m.docs().forEach(doc -> assertThat(name(doc)).as(m + ": " + kind(doc)).doesNotContain(SIMULATOR));
        m.docs().stream()
                .filter(d -> WORKLOAD_KINDS.contains(kind(d)))
                .forEach(w -> containers(map(at(w, "spec", "template", "spec")))
                        .forEach(c -> assertThat(text(c, "image"))
                                .as(m + ": " + name(w))
                                .doesNotContain(SIMULATOR)));
    }

    @Test
    void devInfrastructureUsesTheImageVersionsOfTheEnvFile() {
        Map<String, String> env = DeployFiles.envFile(ROOT.resolve(".env"));
        Manifests dev = units().filter(u -> u.name().equals("dev")).findFirst().orElseThrow();
        Map<String, String> expected = Map.of("kafka", env.get("KAFKA_IMAGE"), "postgres", env.get("POSTGRES_IMAGE"));
        expected.forEach((workload, image) -> {
            Map<String, Object> deployment = dev.find("Deployment", workload).orElseThrow();
            assertThat(text(
                            containers(map(at(deployment, "spec", "template", "spec")))
                                    .get(0),
                            "image"))
                    .as("dev " + workload)
                    .isEqualTo(image);
        });
        assertThat(at(dev.find("Deployment", "kafka").orElseThrow(), "spec", "template", "spec", "enableServiceLinks"))
                .as("a Service named kafka would inject KAFKA_* variables the image reads as settings")
                .isEqualTo(false);
    }

    @Test
    void prodSizesTopicsLogsJsonAndIsScrapedAndAlerted() {
        for (Manifests m : units().filter(u -> u.name().startsWith("prod")).toList()) {
            for (String service : SERVICES) {
                Map<String, String> config = m.config(service);
                assertThat(config).as(m + " " + service).containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
                assertThat(Integer.parseInt(config.get("MAILTRAIL_KAFKA_PARTITIONS")))
                        .as(m + " partitions")
                        .isGreaterThanOrEqualTo(3);
                assertThat(Integer.parseInt(config.get("MAILTRAIL_KAFKA_REPLICAS")))
                        .as(m + " replicas")
                        .isGreaterThanOrEqualTo(3);
            }
            Map<String, Object> monitor = m.ofKind("ServiceMonitor")
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(m + ": no ServiceMonitor"));
            assertThat(list(at(monitor, "spec", "endpoints")))
                    .anyMatch(e ->
                            "management".equals(text(e, "port")) && "/actuator/prometheus".equals(text(e, "path")));
            for (String service : SERVICES) {
                Map<String, Object> labels = map(at(m.find("Service", service).orElseThrow(), "metadata", "labels"));
                assertThat(labels.entrySet())
                        .as("ServiceMonitor selects Service " + service)
                        .containsAll(map(at(monitor, "spec", "selector", "matchLabels"))
                                .entrySet());
                assertThat(list(at(m.find("Service", service).orElseThrow(), "spec", "ports")))
                        .anyMatch(p -> "management".equals(text(p, "name")));
            }
            assertThat(m.ofKind("PrometheusRule")).as(m + ": PrometheusRule").isNotEmpty();
        }
    }

    static Stream<Manifests> prodUnits() {
        return units().filter(u -> u.name().startsWith("prod"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prodUnits")
    void prodDeniesEveryConnectionItDoesNotNeed(Manifests m) {
        List<Map<String, Object>> policies = m.ofKind("NetworkPolicy").toList();
        assertThat(policies)
                .as(m + ": a default deny of both directions for every pod")
                .anyMatch(p -> map(at(p, "spec", "podSelector")).isEmpty()
                        && at(p, "spec", "ingress") == null
                        && at(p, "spec", "egress") == null
                        && list(at(p, "spec", "policyTypes")).containsAll(List.of("Ingress", "Egress")));
        for (Map<String, Object> policy : policies) {
            for (String direction : List.of("ingress", "egress")) {
                for (Object rule : list(at(policy, "spec", direction))) {
                    assertThat(list(at(rule, direction.equals("ingress") ? "from" : "to")))
                            .as(name(policy) + ": a " + direction + " rule open to everyone")
                            .isNotEmpty();
                    assertThat(list(at(rule, "ports")))
                            .as(name(policy) + ": a " + direction + " rule on every port")
                            .isNotEmpty();
                }
            }
        }

        // what may reach each service, by port, and where each may go
        Map<String, Set<String>> ingest = allowed(policies, "webhook-ingest-service", "ingress");
        assertThat(ingest).containsOnlyKeys("http", "management");
        assertThat(ingest.get("http")).containsExactly("namespace ingress-nginx");
        assertThat(ingest.get("management")).containsExactly("namespace monitoring");
        Map<String, Set<String>> send = allowed(policies, "send-service", "ingress");
        assertThat(send).containsOnlyKeys("http", "management");
        assertThat(send.get("http")).containsExactly("namespaces mailtrail.dev/crm-client=true");
        assertThat(send.get("management")).containsExactly("namespace monitoring");

        assertThat(allowed(policies, "webhook-ingest-service", "egress"))
                .containsOnly(
                        Map.entry("53", Set.of("namespace kube-system")), Map.entry("9093", Set.of("namespace kafka")));
        Map<String, Set<String>> sendOut = allowed(policies, "send-service", "egress");
        assertThat(sendOut).containsOnlyKeys("53", "9093", "5432", "443");
        assertThat(sendOut.get("9093")).containsExactly("namespace kafka");
        assertThat(sendOut.get("5432")).containsExactly("namespace postgres");
        assertThat(sendOut.get("443"))
                .as("Resend's API: any public address, no private one")
                .containsExactly(
                        "0.0.0.0/0 except [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 100.64.0.0/10, "
                                + "127.0.0.0/8]");
    }

    /**
     * Port to peers that the policies selecting a service's pods let in ({@code ingress}) or out ({@code egress}):
     * a peer is "namespace n" (by name), "namespaces k=v" (by label) or an IP block.
     */
    private static Map<String, Set<String>> allowed(
            List<Map<String, Object>> policies, String service, String direction) {
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (Map<String, Object> policy : policies) {
            Map<String, Object> selector = map(at(policy, "spec", "podSelector", "matchLabels"));
            boolean selects = selector.entrySet().stream().allMatch(label -> switch (label.getKey()) {
                case "app.kubernetes.io/name" -> service.equals(label.getValue());
                case "app.kubernetes.io/part-of" -> "mailtrail".equals(label.getValue());
                default -> false;
            });
            if (!selects) {
                continue;
            }
            for (Object rule : list(at(policy, "spec", direction))) {
                for (Object port : list(at(rule, "ports"))) {
                    for (Object peer : list(at(rule, direction.equals("ingress") ? "from" : "to"))) {
                        allowed.computeIfAbsent(text(port, "port"), p -> new TreeSet<>())
                                .add(peer(peer));
                    }
                }
            }
        }
        return allowed;
    }

    private static String peer(Object peer) {
        if (at(peer, "ipBlock") != null) {
            return text(peer, "ipBlock", "cidr") + " except " + list(at(peer, "ipBlock", "except"));
        }
        Map<String, Object> namespace = map(at(peer, "namespaceSelector", "matchLabels"));
        if (namespace.containsKey("kubernetes.io/metadata.name")) {
            return "namespace " + namespace.get("kubernetes.io/metadata.name");
        }
        return "namespaces "
                + namespace.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prodUnits")
    void prodTalksToKafkaOverSaslSslAndToPostgresOverVerifiedTlsWithoutApiDocs(Manifests m) {
        for (String service : SERVICES) {
            Map<String, String> config = m.config(service);
            Object container = m.container(service);
            assertThat(config)
                    .as(m + " " + service)
                    .containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("SPRING_KAFKA_SSL_TRUST_STORE_TYPE", "PEM")
                    .containsEntry("SPRINGDOC_API_DOCS_ENABLED", "false")
                    .containsEntry("SPRINGDOC_SWAGGER_UI_ENABLED", "false");
            assertThat(config.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"))
                    .as(m + " " + service)
                    .endsWith(":9093");
            assertThat(list(at(container, "env")))
                    .as(m + " " + service + ": the SCRAM login from its Secret")
                    .anyMatch(e -> "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG".equals(text(e, "name"))
                            && (service + "-secrets").equals(text(e, "valueFrom", "secretKeyRef", "name")));
            assertMountedFromASecret(
                    m,
                    service,
                    config.get("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION").replaceFirst("^file:", ""));
        }
        Map<String, String> send = m.config("send-service");
        assertThat(send).containsEntry("MAILTRAIL_DB_SSL_MODE", "verify-full");
        assertMountedFromASecret(m, "send-service", send.get("MAILTRAIL_DB_SSL_ROOT_CERT"));
    }

    /** A file the container reads lies on a read-only volume from a Secret. */
    private static void assertMountedFromASecret(Manifests m, String service, String file) {
        Object container = m.container(service);
        Map<String, Object> pod = map(at(m.find("Deployment", service).orElseThrow(), "spec", "template", "spec"));
        Object mount = list(at(container, "volumeMounts")).stream()
                .filter(v -> file.startsWith(text(v, "mountPath") + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(m + " " + service + ": nothing mounted at " + file));
        assertThat(at(mount, "readOnly")).as(m + " " + service + " " + file).isEqualTo(true);
        assertThat(list(pod.get("volumes")))
                .as(m + " " + service + " " + file + " comes from a Secret")
                .anyMatch(v -> text(mount, "name").equals(text(v, "name")) && at(v, "secret", "secretName") != null);
    }

    @Test
    void devKafkaWritesOnlyToEmptyDirs() {
        Manifests dev = units().filter(u -> u.name().equals("dev")).findFirst().orElseThrow();
        Map<String, Object> pod = map(at(dev.find("Deployment", "kafka").orElseThrow(), "spec", "template", "spec"));
        Object kafka = containers(pod).get(0);
        assertThat(at(kafka, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        Set<String> emptyDirs = new TreeSet<>();
        list(pod.get("volumes")).stream()
                .filter(v -> map(v).containsKey("emptyDir"))
                .forEach(v -> emptyDirs.add(text(v, "name")));
        Set<String> writable = new TreeSet<>();
        list(at(kafka, "volumeMounts")).stream()
                .filter(v -> emptyDirs.contains(text(v, "name")))
                .forEach(v -> writable.add(text(v, "mountPath")));
        // the image's entrypoint writes its configuration, kafka-run-class.sh its logs, the broker its data
        assertThat(writable)
                .containsExactlyInAnyOrder("/opt/kafka/config", "/opt/kafka/logs", "/var/lib/kafka/data", "/tmp");
    }

    @Test
    void strimziOverlayDeclaresEveryTopicAndCompactsTheActivityState() {
        Manifests strimzi =
                units().filter(u -> u.name().equals("prod-strimzi")).findFirst().orElseThrow();
        Map<String, String> config = strimzi.config("send-service");
        int partitions = Integer.parseInt(config.get("MAILTRAIL_KAFKA_PARTITIONS"));
        int replicas = Integer.parseInt(config.get("MAILTRAIL_KAFKA_REPLICAS"));
        Map<String, Map<String, Object>> topics = new LinkedHashMap<>();
        strimzi.ofKind("KafkaTopic").forEach(t -> topics.put(text(t, "spec", "topicName"), t));
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(TOPICS);
        topics.forEach((topic, resource) -> {
            String policy = text(resource, "spec", "config", "cleanup.policy");
            if (topic.equals(COMPACTED_TOPIC)) {
                assertThat(policy).as(topic).isEqualTo("compact");
            } else {
                assertThat(policy).as(topic + " is not compacted").isNotEqualTo("compact");
            }
            int expectedPartitions = topic.equals(SINGLE_PARTITION_TOPIC) ? 1 : partitions;
            assertThat(text(resource, "spec", "partitions"))
                    .as(topic + " partitions")
                    .isEqualTo(String.valueOf(expectedPartitions));
            assertThat(text(resource, "spec", "replicas"))
                    .as(topic + " replicas")
                    .isEqualTo(String.valueOf(replicas));
            assertThat(Integer.parseInt(text(resource, "spec", "config", "min.insync.replicas")))
                    .as(topic + " min.insync.replicas")
                    .isLessThan(replicas);
            assertThat(map(at(resource, "metadata", "labels"))).as(topic).containsKey("strimzi.io/cluster");
        });
        if (strimzi.rendered()) {
            for (String service : SERVICES) {
                assertThat(strimzi.config(service))
                        .as(service + " leaves topics to Strimzi")
                        .containsEntry("SPRING_KAFKA_ADMIN_AUTO_CREATE", "false");
            }
        }
    }

    @Test
    void kubernetesAlertsMatchTheComposeOnes() {
        Object rules = MetricNamesInDeployment.loadYaml(ROOT.resolve("deploy/prometheus/rules/mailtrail-alerts.yml"));
        Object rule = MetricNamesInDeployment.loadYaml(ROOT.resolve("k8s/components/monitoring/prometheusrule.yaml"));
        assertThat(at(rule, "spec", "groups"))
                .as("PrometheusRule groups = deploy/prometheus/rules/mailtrail-alerts.yml")
                .isEqualTo(at(rules, "groups"));
    }

    @Test
    void kubernetesGeneratesItsDashboardFromTheOneComposeProvisions() {
        Path monitoring = ROOT.resolve("k8s/components/monitoring");
        List<Path> components =
                list(at(MetricNamesInDeployment.loadYaml(monitoring.resolve("kustomization.yaml")), "components"))
                        .stream()
                        .map(c -> monitoring.resolve(String.valueOf(c)).normalize())
                        .toList();
        assertThat(components).as("components of k8s/components/monitoring").contains(ROOT.resolve("deploy/grafana"));
        Object grafana = MetricNamesInDeployment.loadYaml(ROOT.resolve("deploy/grafana/kustomization.yaml"));
        assertThat(list(at(grafana, "configMapGenerator"))).anySatisfy(generator -> {
            assertThat(text(generator, "name")).isEqualTo(DASHBOARD_CONFIG_MAP);
            assertThat(list(at(generator, "files"))).containsExactly("mailtrail.json=dashboards/mailtrail.json");
        });
        assertThat(MetricNamesInDeployment.files(ROOT.resolve("k8s"), ".json"))
                .as("dashboard copies under k8s/")
                .isEmpty();

        String dashboard = DeployFiles.read(ROOT.resolve("deploy/grafana/dashboards/mailtrail.json"));
        // the overlays with the monitoring component: prod and prod-strimzi
        units().filter(m -> m.rendered() && m.name().startsWith("prod")).forEach(m -> {
            Map<String, Object> configMap = m.find("ConfigMap", DASHBOARD_CONFIG_MAP)
                    .orElseThrow(() -> new AssertionError(m + ": no ConfigMap " + DASHBOARD_CONFIG_MAP));
            assertThat(text(configMap, "data", "mailtrail.json"))
                    .as(m + ": the dashboard")
                    .isEqualTo(dashboard);
            assertThat(text(configMap, "metadata", "labels", "grafana_dashboard"))
                    .as(m + ": sidecar label")
                    .isEqualTo("1");
        });
    }

    // ------------------------------------------------------------------ metrics

    @Test
    void dashboardsAndAlertsUseOnlyMetersTheServicesExpose() {
        Map<String, List<String>> queries = MetricNamesInDeployment.queries(ROOT);
        assertThat(queries)
                .containsKeys(
                        "deploy/grafana/dashboards/mailtrail.json",
                        "deploy/prometheus/rules/mailtrail-alerts.yml",
                        "k8s/components/monitoring/prometheusrule.yaml");
        Set<String> used = MetricNamesInDeployment.all(ROOT);
        assertThat(used)
                .as("mailtrail meters in the dashboard and alerts")
                .hasSizeGreaterThan(10)
                .isSubsetOf(MetricNamesInDeployment.knownSeries());
        assertThat(MetricNamesInDeployment.allMetricNames(ROOT))
                .as("every metric name in the PromQL")
                .isSubsetOf(MetricNamesInDeployment.union(
                        MetricNamesInDeployment.knownSeries(), MetricNamesInDeployment.FRAMEWORK_SERIES));
    }

    @Test
    void knownMetersAreRegisteredByTheServices() throws IOException {
        Pattern builder = Pattern.compile("\\.builder\\(\\s*\"(mailtrail\\.[a-z0-9.]+)\"");
        Set<String> registered = new TreeSet<>();
        for (String module : MODULES) {
            for (Path source :
                    MetricNamesInDeployment.files(ROOT.resolve(module).resolve("src/main/java"), ".java")) {
                Matcher m = builder.matcher(Files.readString(source));
                while (m.find()) {
                    registered.add(m.group(1));
                }
            }
        }
        Set<String> missing = new TreeSet<>(MetricNamesInDeployment.KNOWN_METERS.keySet());
        missing.removeAll(registered);
        assertThat(missing)
                .as("meters the dashboard/alerts know but no service registers (renamed?)")
                .isEmpty();
    }

    @Test
    void metricNameExtractionSeesThroughPromql() {
        String expr = "sum by (outcome) (rate(mailtrail_webhook_received_total{outcome=\"x_y\"}[$__rate_interval]))"
                + " / on (job) group_left max(kafka_consumer_fetch_manager_records_lag_max) > 0.1";
        assertThat(MetricNamesInDeployment.metricNames(expr))
                .containsExactlyInAnyOrder(
                        "mailtrail_webhook_received_total", "kafka_consumer_fetch_manager_records_lag_max");
        assertThat(MetricNamesInDeployment.seriesIn("""
                # HELP mailtrail_tracking_buffered x
                # TYPE mailtrail_tracking_buffered gauge
                mailtrail_tracking_buffered{application="x"} 0.0
                up 1
                """))
                .containsExactlyInAnyOrder("mailtrail_tracking_buffered", "up");
    }

    @Test
    void promtoolAcceptsTheRulesAndTheConfig() {
        assumeTrue(
                DeployFiles.onPath("promtool").isPresent(),
                "promtool not installed: skipping `promtool check` (Debian package prometheus)");
        for (List<String> command : List.of(
                List.of("promtool", "check", "rules", "deploy/prometheus/rules/mailtrail-alerts.yml"),
                List.of("promtool", "check", "config", "--syntax-only", "deploy/prometheus/prometheus.yml"))) {
            DeployFiles.Result result = DeployFiles.run(ROOT, command);
            assertThat(result.exitCode())
                    .as(String.join(" ", command) + "\n" + result.describe())
                    .isZero();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A variable whose value is a secret; the switch that allows the development secrets is not one. */
    private static boolean secretLike(String variable) {
        return SECRET_LIKE.matcher(variable).find() && !variable.equals(DevSecret.OVERRIDE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> composeServices() {
        Object compose = MetricNamesInDeployment.loadYaml(ROOT.resolve("docker-compose.yml"));
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(at(compose, "services")).forEach((k, v) -> services.put(k, (Map<String, Object>) v));
        return services;
    }

    private static List<Object> containers(Map<String, Object> pod) {
        List<Object> all = new ArrayList<>(list(pod.get("initContainers")));
        all.addAll(list(pod.get("containers")));
        return all;
    }

    private static Optional<String> envValue(Object container, String name) {
        return list(at(container, "env")).stream()
                .filter(e -> name.equals(text(e, "name")))
                .map(e -> text(e, "value"))
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static void assertTmpIsAnEmptyDir(String service, Map<String, Object> pod, Object container) {
        String volume = list(at(container, "volumeMounts")).stream()
                .filter(v -> "/tmp".equals(text(v, "mountPath")))
                .map(v -> text(v, "name"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(service + ": nothing mounted at /tmp"));
        assertThat(list(pod.get("volumes")))
                .as(service + ": /tmp is an emptyDir")
                .anyMatch(v -> volume.equals(text(v, "name")) && map(v).containsKey("emptyDir"));
    }

    /** The kustomizations rendered in kubectl mode: base and each overlay. */
    private static List<String> kustomizations() {
        List<String> dirs = new ArrayList<>(List.of("k8s/base"));
        OVERLAYS.forEach(o -> dirs.add("k8s/overlays/" + o));
        return dirs;
    }

    /** Null when kubectl can render the kustomizations here, else why not. */
    private static String kubectlProblem() {
        if (DeployFiles.onPath("kubectl").isEmpty()) {
            return "kubectl not installed: skipping `kubectl kustomize` (Kubernetes checks use the raw files; "
                    + "Debian has no kubectl with kustomize v4+)";
        }
        DeployFiles.Result version = DeployFiles.run(ROOT, List.of("kubectl", "version", "--client"));
        Matcher m = Pattern.compile("Kustomize Version: v(\\d+)").matcher(version.stdout());
        if (version.exitCode() != 0 || !m.find() || Integer.parseInt(m.group(1)) < 4) {
            return "kubectl here embeds no kustomize v4+ (components, patches): skipping `kubectl kustomize`; "
                    + "the Kubernetes checks use the raw files\n" + version.describe();
        }
        return null;
    }

    static Stream<Manifests> units() {
        List<Manifests> current = units;
        if (current == null) {
            current = kubectlProblem() == null ? renderedUnits() : rawUnits();
            units = current;
        }
        return current.stream();
    }

    static Stream<Manifests> productionUnits() {
        return units().filter(Manifests::production);
    }

    private static List<Manifests> renderedUnits() {
        List<Manifests> rendered = new ArrayList<>();
        for (String dir : kustomizations()) {
            DeployFiles.Result result = DeployFiles.run(ROOT, List.of("kubectl", "kustomize", dir));
            if (result.exitCode() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed\n" + result.describe());
            }
            rendered.add(
                    new Manifests(Path.of(dir).getFileName().toString(), DeployFiles.documents(result.stdout()), true));
        }
        return rendered;
    }

    private static List<Manifests> rawUnits() {
        List<Map<String, Object>> base = rawDocuments(ROOT.resolve("k8s/base"));
        List<Map<String, Object>> monitoring = rawDocuments(ROOT.resolve("k8s/components/monitoring"));
        List<Map<String, Object>> prod =
                patched(concat(concat(base, monitoring), rawDocuments(ROOT.resolve("k8s/overlays/prod"))), "prod");
        return List.of(
                new Manifests("base", base, false),
                new Manifests(
                        "dev", patched(concat(base, rawDocuments(ROOT.resolve("k8s/overlays/dev"))), "dev"), false),
                new Manifests("prod", prod, false),
                new Manifests(
                        "prod-strimzi",
                        patched(
                                concat(prod, rawDocuments(ROOT.resolve("k8s/components/strimzi-topics"))),
                                "prod-strimzi"),
                        false));
    }

    /** The documents with the overlay's strategic-merge patches applied (its JSON 6902 patches are not). */
    private static List<Map<String, Object>> patched(List<Map<String, Object>> docs, String overlay) {
        List<Map<String, Object>> result = new ArrayList<>(docs);
        for (Path file : MetricNamesInDeployment.files(ROOT.resolve("k8s/overlays/" + overlay + "/patches"), ".yaml")) {
            for (Map<String, Object> patch : DeployFiles.documents(DeployFiles.read(file))) {
                for (int i = 0; i < result.size(); i++) {
                    if (Objects.equals(kind(result.get(i)), kind(patch))
                            && Objects.equals(name(result.get(i)), name(patch))) {
                        result.set(i, map(DeployFiles.merge(result.get(i), patch)));
                    }
                }
            }
        }
        return result;
    }

    /** Whole resources of a folder: not kustomization.yaml, not patches/ (partial or JSON 6902). */
    private static List<Map<String, Object>> rawDocuments(Path dir) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Path file : MetricNamesInDeployment.files(dir, ".yaml")) {
            Path relative = dir.relativize(file);
            if (file.getFileName().toString().equals("kustomization.yaml") || relative.startsWith("patches")) {
                continue;
            }
            docs.addAll(DeployFiles.documents(DeployFiles.read(file)));
        }
        return docs;
    }

    private static List<Map<String, Object>> concat(List<Map<String, Object>> a, List<Map<String, Object>> b) {
        List<Map<String, Object>> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
