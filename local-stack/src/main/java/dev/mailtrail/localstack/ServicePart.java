package dev.mailtrail.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One of our services, run from its module's exec jar (extracted, with a class-data-sharing archive: {@link
 * ClassDataSharing}); ready once its actuator health says UP.
 */
record ServicePart(Component component, StackConfig config, Path java) implements Part {

    @Override
    public boolean ours() {
        return true;
    }

    @Override
    public String address() {
        return config.url(component);
    }

    @Override
    public Running launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(config.serviceJvmOptions());
        // Marks the process as ours, so a later launcher can recognise it after a SIGKILL.
        command.add("-Dlocalstack.home=" + config.home());
        ClassDataSharing.Launch launch = config.classDataSharing()
                ? new ClassDataSharing(java, config.jarOf(component)).launch()
                : new ClassDataSharing.Launch(
                        List.of("-jar", config.jarOf(component).toString()), false);
        command.addAll(launch.arguments());
        ChildProcess process = ChildProcess.start(
                component.id(),
                command,
                config.envOf(component),
                config.home(),
                config.logs().resolve(component.id() + ".log"));
        return launch.training() ? process.minimumStopGrace(ClassDataSharing.TRAINING_STOP_GRACE) : process;
    }

    @Override
    public String health() {
        return Health.of(probe());
    }

    @Override
    public String probe() {
        return config.healthUrl(component);
    }

    @Override
    public Duration readyTimeout() {
        return config.readyTimeout();
    }

    @Override
    public String details(Running running) {
        return "pid " + running.pid().map(String::valueOf).orElse("?");
    }
}
