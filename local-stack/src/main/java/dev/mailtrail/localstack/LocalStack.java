package dev.mailtrail.localstack;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Entry point behind ./mailtrail: {@code up [--infra-only]}, {@code demo}. */
public final class LocalStack {

    private LocalStack() {}

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        String command = arguments.isEmpty() ? "help" : arguments.get(0);
        PrintStream out = System.out;
        int exit;
        try {
            exit = switch (command) {
                case "up" -> up(out, arguments.contains("--infra-only"));
                case "demo" -> Demo.run(config(false), out);
                case "help", "-h", "--help" -> {
                    out.println("usage: LocalStack up [--infra-only] | demo   (normally run through ./mailtrail)");
                    yield 0;
                }
                default -> {
                    System.err.println("unknown command: " + command + " (try: up, demo)");
                    yield 2;
                }
            };
        } catch (StackException | IllegalArgumentException e) {
            System.err.println("mailtrail: " + e.getMessage());
            exit = 1;
        }
        System.exit(exit);
    }

    private static int up(PrintStream out, boolean infraOnly) throws InterruptedException {
        StackConfig config = config(infraOnly);
        out.println(
                "mailtrail local stack" + (infraOnly ? " (infrastructure only)" : "") + "; state in " + config.home());
        Stack stack = Stack.create(config, out);
        Thread hook = new Thread(
                () -> {
                    if (stack.startedAnything()) {
                        out.println();
                        out.println("stopping ...");
                        stack.close();
                        out.println("stopped");
                    } else {
                        stack.close();
                    }
                },
                "mailtrail-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stack.startAll();
        } catch (StackException e) {
            System.err.println("mailtrail: " + e.getMessage());
            // The hook stops whatever did start; exiting from main runs it.
            return 1;
        }
        printReady(stack, out);
        Component died = stack.anyExit().join();
        if (stack.isClosing()) {
            // Ctrl-C: the shutdown hook is stopping everything; children exiting is expected.
            return 0;
        }
        System.err.println("mailtrail: " + stack.describeExit(died));
        System.err.println("mailtrail: stopping the rest of the stack");
        return 1;
    }

    private static void printReady(Stack stack, PrintStream out) {
        StackConfig c = stack.config();
        out.println();
        if (!c.infraOnly()) {
            out.println("  send-service      " + c.sendUrl() + "   (API: /api/crm/..., health: "
                    + c.healthUrl(Component.SEND_SERVICE) + ")");
            out.println("  webhook ingest    " + c.ingestUrl() + "   (Resend webhooks: " + c.ingestUrl()
                    + "/api/webhooks/resend, health: " + c.healthUrl(Component.WEBHOOK_INGEST) + ")");
            out.println("  resend simulator  " + c.simulatorUrl() + "   (POST /emails, health: "
                    + c.healthUrl(Component.RESEND_SIMULATOR) + ")");
        }
        out.println("  postgres          jdbc:postgresql://" + c.dbHost() + ":" + c.dbPort() + "/" + c.dbName()
                + (c.embeddedPostgres() ? "   (user postgres, trust auth: any password)" : ""));
        out.println("  kafka             " + c.kafkaBootstrapServers());
        if (!c.infraOnly()) {
            out.println("  API token         " + (c.apiTokenFromEnvironment() ? "(from environment)" : c.apiToken()));
            out.println("  webhook secret    "
                    + (c.webhookSecretFromEnvironment() ? "(from environment)" : c.webhookSecret()));
        }
        out.println("  logs              " + c.logs());
        out.println();
        out.printf(
                Locale.ROOT,
                "ready in %.1f s - Ctrl-C stops everything%s%n",
                stack.readyIn().toMillis() / 1000.0,
                c.infraOnly() ? "" : "; try ./mailtrail demo");
    }

    private static StackConfig config(boolean infraOnly) {
        return StackConfig.fromEnvironment(System.getenv(), repoRoot(), infraOnly);
    }

    /**
     * The checkout this launcher was built in: the jar (or classes dir) sits in local-stack/target,
     * so this works from any working directory; falls back to the working directory.
     */
    static Path repoRoot() {
        try {
            Path location = Path.of(LocalStack.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path root = location.getParent().getParent().getParent();
            if (root != null && Files.isRegularFile(root.resolve("local-stack").resolve("pom.xml"))) {
                return root;
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }
}
