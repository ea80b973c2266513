package dev.mailtrail.ingest.warmup;

import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.ingest.IngestProperties;
import dev.mailtrail.ingest.client.ClientClassifier;
import dev.mailtrail.ingest.client.ClientHit;
import dev.mailtrail.ingest.client.IpHasher;
import dev.mailtrail.ingest.normalize.NormalizedWebhook;
import dev.mailtrail.ingest.normalize.ResendEventNormalizer;
import dev.mailtrail.ingest.verify.WebhookVerifier;
import dev.mailtrail.ingest.warmup.WarmupMetrics.Outcome;
import dev.mailtrail.ingest.web.WarmupPass;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Runs the request path's own code on synthetic input before the instance reports ready ({@link WarmupHealth}): a
 * fresh JVM served a fifth of its capacity for its first minute under load, while the JIT compiled what the first
 * requests ran. Each round signs a webhook, verifies it over its raw bytes, normalises it and writes its event's
 * JSON (never published), and encodes, decodes and classifies a tracking hit, which also waits for the user-agent
 * rules to load. Then it sends as many webhooks again to its own webhook route over loopback HTTP
 * ({@link HttpWarmup}), once the server listens. It starts once every bean exists, on a thread of its own, beside
 * the web server's and Kafka's start, and stops at its bound whatever it has done.
 */
@Component("ingestWarmup") // "warmup" is its health indicator
public class Warmup
        implements SmartInitializingSingleton, DisposableBean, ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(Warmup.class);

    /** Distinct user agents it classifies: enough to run the rules, few enough to leave the agent cache alone. */
    private static final int AGENTS = 256;

    private final WarmupProperties properties;
    private final WebhookVerifier verifier;
    private final ResendEventNormalizer normalizer;
    private final TrackingTokenCodec codec;
    private final ClientClassifier classifier;
    private final IpHasher ipHasher;
    private final SyntheticWebhooks webhooks;
    private final Clock clock;
    private final WarmupMetrics metrics;
    private final HttpWarmup http;
    private final String host;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private volatile int httpAccepted;
    private volatile long startedNanos;
    private volatile boolean finished;
    private volatile boolean stopping;
    private volatile int rounds; // written by the warm-up thread only

    Warmup(
            WarmupProperties properties,
            IngestProperties ingest,
            WebhookVerifier verifier,
            ResendEventNormalizer normalizer,
            TrackingTokenCodec codec,
            ClientClassifier classifier,
            IpHasher ipHasher,
            Clock clock,
            WarmupMetrics metrics,
            WarmupPass pass,
            @Value("${server.address:}") String address) {
        this.properties = properties;
        this.verifier = verifier;
        this.normalizer = normalizer;
        this.codec = codec;
        this.classifier = classifier;
        this.ipHasher = ipHasher;
        this.clock = clock;
        // the first secret: the one the verifier tries first, as for most real webhooks
        this.webhooks = new SyntheticWebhooks(ingest.webhookSecrets().get(0).trim());
        this.metrics = metrics;
        this.http = new HttpWarmup(webhooks, pass, clock);
        // the route as this instance serves it; bound to every interface, loopback reaches it
        this.host = address.isBlank() || address.equals("0.0.0.0") || address.equals("::") ? "127.0.0.1" : address;
    }

    /** The application's own server (not the management one): where the HTTP part sends its requests. */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            port.complete(event.getWebServer().getPort());
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        startedNanos = System.nanoTime();
        if (!properties.enabled()
                || properties.webhooks() == 0
                || properties.maxDuration().isZero()) {
            metrics.finished(Outcome.DISABLED, Duration.ZERO);
            finished = true;
            return;
        }
        Thread thread = new Thread(this::run, "ingest-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Done, or past its bound: readiness never waits longer than the bound. */
    boolean ready() {
        return finished
                || System.nanoTime() - startedNanos >= properties.maxDuration().toNanos();
    }

    /** Whole rounds (classification included) run so far. */
    int rounds() {
        return rounds;
    }

    /** Webhooks of the HTTP part the route answered 202. */
    int httpAccepted() {
        return httpAccepted;
    }

    @Override
    public void destroy() {
        stopping = true;
    }

    private void run() {
        long deadline = startedNanos + properties.maxDuration().toNanos();
        Outcome outcome = Outcome.COMPLETED;
        try {
            // rounds run before the rules have loaded do not count: the warm-up is done once every part has run
            for (int i = 0; rounds < properties.webhooks(); i++) {
                if (stopping || System.nanoTime() >= deadline) {
                    outcome = Outcome.TIME_LIMIT;
                    break;
                }
                if (round(i)) {
                    rounds++;
                }
            }
            if (outcome == Outcome.COMPLETED && properties.httpRequests() > 0) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                int serving = port.get(Math.max(0, left.toMillis()), TimeUnit.MILLISECONDS);
                left = Duration.ofNanos(deadline - System.nanoTime());
                httpAccepted = left.isNegative() ? 0 : http.run(host, serving, properties.httpRequests(), left);
                if (httpAccepted < properties.httpRequests()) {
                    outcome = Outcome.TIME_LIMIT;
                }
            }
        } catch (TimeoutException e) {
            outcome = Outcome.TIME_LIMIT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.TIME_LIMIT;
        } catch (ExecutionException e) {
            outcome = Outcome.FAILED;
        } catch (RuntimeException e) {
            // a warm-up that cannot run must not keep the instance from serving: it is only slower at first
            outcome = Outcome.FAILED;
            log.warn("warm-up stopped after {} rounds: {}", rounds, e.toString());
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
            metrics.finished(outcome, took);
            finished = true;
            log.info(
                    "warm-up {}: {} webhooks and tracking hits, then {} webhooks over HTTP, in {} ms",
                    outcome.name().toLowerCase(Locale.ROOT),
                    rounds,
                    httpAccepted,
                    took.toMillis());
        }
    }

    /**
     * While the user-agent rules load (seconds, on their own thread) the rounds skip what waits for them, Resend's
     * clicks and our tracking hits, so the rest of the path compiles meanwhile.
     *
     * @return whether the round was whole
     */
    /** The i-th of the user agents it classifies. */
    static String agent(int i) {
        return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0."
                + (i % AGENTS) + ".0 Safari/537.36";
    }

    private boolean round(int i) {
        boolean rules = classifier.rulesLoaded();
        String agent = agent(i);
        SyntheticWebhooks.Signed signed = webhooks.signed(
                rules ? i : webhooks.withoutClick(i), clock.instant().getEpochSecond(), agent);
        var id = verifier.verify(signed.body(), signed.headers())
                .orElseThrow(() -> new IllegalStateException("its own signed webhook did not verify"));
        if (normalizer.normalize(id, signed.body()) instanceof NormalizedWebhook.Recognized r) {
            WireJson.write(r.event());
        }
        if (!rules) {
            return false;
        }
        TrackingToken token = i % 2 == 0
                ? TrackingToken.open("warmup-" + i, "warmup")
                : TrackingToken.click("warmup-" + i, "warmup", 0, "https://example.com/p?i=" + i);
        TrackingToken decoded = codec.decode(codec.encode(token))
                .orElseThrow(() -> new IllegalStateException("its own tracking token did not decode"));
        ClientHit hit = ClientHit.get(agent, "192.0.2." + (i % 250));
        classifier.classify(hit, decoded.kind());
        ipHasher.hash(hit.ip());
        return true;
    }
}
