package dev.mailtrail.localstack.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metric names that the deployment's PromQL uses: the Grafana dashboards, the Prometheus alert rules and the
 * Kubernetes PrometheusRule copies. {@link DeploymentManifestsTests} checks them against the meters the services
 * register; a test that has a live {@code /actuator/prometheus} scrape can check them against it too:
 *
 * <pre>{@code
 * Set<String> exposed = MetricNamesInDeployment.seriesIn(scrapeOfIngest + scrapeOfSendService);
 * assertThat(exposed).containsAll(MetricNamesInDeployment.all(repoRoot));
 * }</pre>
 *
 * (Every custom meter is registered at start-up with each of its tag sets, so it is in the first scrape, at 0; a
 * Timer's {@code _max}/{@code _sum}/{@code _count} come together.)
 */
public final class MetricNamesInDeployment {

    /**
     * The services' custom meters (Micrometer names) and the Prometheus series each is exposed as. A Timer is
     * {@code <name>_seconds_{count,sum,max}}, a DistributionSummary with base unit bytes {@code <name>_bytes_...},
     * a Counter {@code <name>_total}, a Gauge its plain name.
     */
    public static final Map<String, Set<String>> KNOWN_METERS = knownMeters();

    /** Framework meters (Spring Boot, Micrometer's Kafka client binder) and Prometheus' own series the PromQL uses. */
    public static final Set<String> FRAMEWORK_SERIES = Set.of(
            "up",
            // KafkaClientMetrics of the projection's consumer, bound by Boot's KafkaMetricsAutoConfiguration
            "kafka_consumer_fetch_manager_records_lag_max",
            "http_server_requests_seconds_count",
            "jvm_memory_used_bytes");

    private static final Pattern MAILTRAIL_NAME = Pattern.compile("(?<![A-Za-z0-9_:])mailtrail_[A-Za-z0-9_]+");

    /** Words of PromQL that look like identifiers but are not metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "count",
            "stddev",
            "stdvar",
            "topk",
            "bottomk",
            "quantile",
            "count_values",
            "group",
            "limitk",
            "limit_ratio",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "rate",
            "irate",
            "increase",
            "delta",
            "idelta",
            "deriv",
            "histogram_quantile",
            "abs",
            "absent",
            "absent_over_time",
            "ceil",
            "floor",
            "round",
            "clamp",
            "clamp_min",
            "clamp_max",
            "changes",
            "resets",
            "vector",
            "scalar",
            "time",
            "timestamp",
            "label_replace",
            "label_join",
            "sort",
            "sort_desc",
            "predict_linear",
            "avg_over_time",
            "min_over_time",
            "max_over_time",
            "sum_over_time",
            "count_over_time",
            "last_over_time",
            "quantile_over_time",
            "present_over_time",
            "exp",
            "ln",
            "log2",
            "log10",
            "sqrt",
            "sgn",
            "day_of_month",
            "day_of_week",
            "hour",
            "minute",
            "month",
            "year",
            "inf",
            "nan",
            "atan2");

    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.$])[A-Za-z_:][A-Za-z0-9_:]*");

    private MetricNamesInDeployment() {}

    /** Every {@code mailtrail_*} series name used by the deployment's dashboards and alert rules. */
    public static Set<String> all(Path repoRoot) {
        Set<String> names = new TreeSet<>();
        queries(repoRoot).values().forEach(exprs -> exprs.forEach(expr -> names.addAll(mailtrailNames(expr))));
        return names;
    }

    /** Every metric name (mailtrail's and the frameworks') used by the deployment's dashboards and alert rules. */
    public static Set<String> allMetricNames(Path repoRoot) {
        Set<String> names = new TreeSet<>();
        queries(repoRoot).values().forEach(exprs -> exprs.forEach(expr -> names.addAll(metricNames(expr))));
        return names;
    }

    /** The Prometheus series names of {@link #KNOWN_METERS}. */
    public static Set<String> knownSeries() {
        Set<String> series = new TreeSet<>();
        KNOWN_METERS.values().forEach(series::addAll);
        return series;
    }

    /** The PromQL expressions of the deployment, by the file they come from (relative to the repository root). */
    public static Map<String, List<String>> queries(Path repoRoot) {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        for (Path file : files(repoRoot.resolve("deploy/grafana/dashboards"), ".json")) {
            queries.put(relative(repoRoot, file), dashboardExpressions(file));
        }
        for (Path file : files(repoRoot.resolve("deploy/prometheus/rules"), ".yml")) {
            queries.put(relative(repoRoot, file), ruleExpressions(loadYaml(file), false));
        }
        for (Path file : files(repoRoot.resolve("k8s"), ".yaml")) {
            List<String> exprs = new ArrayList<>();
            for (Object doc : loadAllYaml(file)) {
                if (doc instanceof Map<?, ?> map && "PrometheusRule".equals(map.get("kind"))) {
                    exprs.addAll(ruleExpressions(map, true));
                }
            }
            if (!exprs.isEmpty()) {
                queries.put(relative(repoRoot, file), exprs);
            }
        }
        return queries;
    }

    /** The {@code mailtrail_*} names in one PromQL expression. */
    public static Set<String> mailtrailNames(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = MAILTRAIL_NAME.matcher(promql);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /**
     * The metric names in one PromQL expression: identifiers left after removing strings, label matchers, ranges,
     * grouping clauses, Grafana variables, numbers and PromQL's own words.
     */
    public static Set<String> metricNames(String promql) {
        String s = promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{?[A-Za-z_]+}?", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String word = m.group();
            int next = m.end();
            // a function call: name followed by "("
            boolean call = next < s.length() && s.substring(next).stripLeading().startsWith("(");
            if (!PROMQL_WORDS.contains(word) && !call) {
                names.add(word);
            }
        }
        return names;
    }

    /** The series names of a Prometheus text exposition ({@code /actuator/prometheus}). */
    public static Set<String> seriesIn(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    static List<String> dashboardExpressions(Path file) {
        try {
            JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(file));
            List<String> exprs = new ArrayList<>();
            collectExpr(dashboard, exprs);
            return exprs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectExpr(JsonNode node, List<String> exprs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("expr") && field.getValue().isString()) {
                    exprs.add(field.getValue().asString());
                } else {
                    collectExpr(field.getValue(), exprs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectExpr(child, exprs));
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> ruleExpressions(Object document, boolean prometheusRule) {
        Map<String, Object> root = (Map<String, Object>) document;
        Object groups = prometheusRule ? ((Map<String, Object>) root.get("spec")).get("groups") : root.get("groups");
        List<String> exprs = new ArrayList<>();
        for (Object group : (List<Object>) groups) {
            for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
                exprs.add(String.valueOf(((Map<String, Object>) rule).get("expr")));
            }
        }
        return exprs;
    }

    static Object loadYaml(Path file) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Object> loadAllYaml(Path file) {
        try {
            List<Object> docs = new ArrayList<>();
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString();
    }

    private static Map<String, Set<String>> knownMeters() {
        Map<String, Set<String>> meters = new LinkedHashMap<>();
        counter(meters, "mailtrail.webhook.received");
        timer(meters, "mailtrail.webhook.verification");
        timer(meters, "mailtrail.webhook.publish");
        summary(meters, "mailtrail.webhook.body.size", "bytes");
        gauge(meters, "mailtrail.publish.healthy");
        counter(meters, "mailtrail.tracking.hits");
        counter(meters, "mailtrail.tracking.publish");
        counter(meters, "mailtrail.tracking.dropped");
        gauge(meters, "mailtrail.tracking.buffered");
        gauge(meters, "mailtrail.tracking.buffer.usage");
        counter(meters, "mailtrail.projection.events");
        summary(meters, "mailtrail.projection.batch.size", null);
        timer(meters, "mailtrail.projection.lag");
        gauge(meters, "mailtrail.outbox.backlog");
        counter(meters, "mailtrail.send.requests");
        counter(meters, "mailtrail.kafka.dlt");
        gauge(meters, "mailtrail.reconcile.missing");
        gauge(meters, "mailtrail.reconcile.active");
        return Map.copyOf(meters);
    }

    private static String prom(String meter) {
        return meter.replace('.', '_');
    }

    private static void counter(Map<String, Set<String>> meters, String name) {
        meters.put(name, Set.of(prom(name) + "_total"));
    }

    private static void gauge(Map<String, Set<String>> meters, String name) {
        meters.put(name, Set.of(prom(name)));
    }

    private static void timer(Map<String, Set<String>> meters, String name) {
        summary(meters, name, "seconds");
    }

    private static void summary(Map<String, Set<String>> meters, String name, String unit) {
        String base = prom(name) + (unit == null ? "" : "_" + unit);
        meters.put(name, Set.of(base + "_count", base + "_sum", base + "_max"));
    }

    static Set<String> union(Collection<String> a, Collection<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
