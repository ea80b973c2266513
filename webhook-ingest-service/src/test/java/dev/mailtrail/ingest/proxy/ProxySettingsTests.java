package dev.mailtrail.ingest.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.yaml.snakeyaml.Yaml;

/** What the shipped settings make of a forwarded request: locally nobody is believed; on Kubernetes the ingress. */
class ProxySettingsTests {

    static final Path BASE_CONFIG_MAP = Path.of("../k8s/base/webhook-ingest-service/configmap.yaml");

    @Test
    void locallyNoForwardingHeaderIsBelieved() throws IOException {
        TrustedProxies proxies = proxies(environment(Map.of()));

        assertThat(proxies.client(forwarded("127.0.0.1"))).isEqualTo("127.0.0.1");
    }

    @Test
    void onKubernetesTheIngressControllersPodsAreBelievedAndNobodyElse() throws IOException {
        Map<String, Object> env = new HashMap<>(configMap());
        env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        env.put("KUBERNETES_SERVICE_PORT", "443");
        MockEnvironment environment = environment(env);
        TrustedProxies proxies = proxies(environment);

        // unset, Spring Boot would turn its own forwarding support on by itself on Kubernetes
        assertThat(Binder.get(environment)
                        .bind("server", ServerProperties.class)
                        .get()
                        .getForwardHeadersStrategy())
                .isEqualTo(ServerProperties.ForwardHeadersStrategy.NONE);
        for (String ingressPod : List.of("10.244.3.17", "172.17.0.5", "192.168.49.2", "fd00:10:244::5")) {
            assertThat(proxies.client(forwarded(ingressPod))).as(ingressPod).isEqualTo("203.0.113.9");
        }
        assertThat(proxies.client(forwarded("198.51.100.4"))).isEqualTo("198.51.100.4");
    }

    private static MockServerHttpRequest forwarded(String peer) {
        return TrustedProxiesTests.request(peer)
                .header("X-Forwarded-For", "203.0.113.9")
                .build();
    }

    /** The bean the service builds in this environment. */
    private static TrustedProxies proxies(MockEnvironment environment) {
        ProxyProperties properties = Binder.get(environment).bindOrCreate("mailtrail.proxies", ProxyProperties.class);
        return new ProxyConfiguration().trustedProxies(properties, environment);
    }

    /** The service's application.yml with these variables to fill its placeholders, as a pod's env would. */
    private static MockEnvironment environment(Map<String, Object> variables) throws IOException {
        MockEnvironment environment = new MockEnvironment();
        variables.forEach((name, value) -> environment.setProperty(name, String.valueOf(value)));
        new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> configMap() throws IOException {
        try (InputStream in = Files.newInputStream(BASE_CONFIG_MAP)) {
            return (Map<String, Object>)
                    new Yaml().<Map<String, Object>>load(in).get("data");
        }
    }
}
