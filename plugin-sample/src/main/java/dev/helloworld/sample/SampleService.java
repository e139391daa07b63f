package dev.helloworld.sample;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Greets on start and says goodbye on stop; can be told to fail or hang, for tests. */
public final class SampleService implements Service {

    /** What goes wrong on purpose. */
    public enum Failure { NONE, START, STOP, HANG_ON_STOP }

    static final ConfigKey<String> GREETING = ConfigKey.builder("sample.greeting", ValueType.text("<text>"))
            .env("SAMPLE_GREETING")
            .defaultValue("hello from a plugin")
            .description("What the sample plugin logs when it starts.")
            .build();

    static final ConfigKey<Failure> FAIL = ConfigKey.builder("sample.fail", ValueType.choice(Failure.class))
            .env("SAMPLE_FAIL")
            .defaultValue(Failure.NONE)
            .description("Make the sample plugin fail, to see how the host copes.")
            .build();

    private final CountDownLatch never = new CountDownLatch(1);
    private System.Logger log;
    private Failure failure;

    @Override
    public String name() {
        return "sample";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(GREETING, FAIL);
    }

    @Override
    public void start(ServiceContext context) {
        log = context.logger();
        failure = context.config().get(FAIL);
        if (failure == Failure.START) {
            throw new IllegalStateException("asked to fail by --sample-fail start");
        }
        log.log(Level.INFO, context.config().get(GREETING));
    }

    @Override
    public void stop() throws InterruptedException {
        switch (failure) {
            case STOP -> throw new IllegalStateException("asked to fail by --sample-fail stop");
            case HANG_ON_STOP -> never.await();
            default -> log.log(Level.INFO, "goodbye");
        }
    }
}
