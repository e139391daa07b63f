package dev.helloworld.profiling;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The options this plugin adds. Whether profiling is on, memory profiling and the endpoint are
 * core's keys, because the original service has them; so are the version and environment that the
 * profile labels share with the resource of the other signals.
 */
final class ProfilingKeys {

    static final ConfigKey<Duration> UPLOAD_INTERVAL = ConfigKey.builder("profiling.upload.interval", atLeastOneSecond())
            .env("PROFILING_UPLOAD_INTERVAL")
            .defaultValue(Duration.ofSeconds(10))
            .description("How often a profile is cut and uploaded; the last one is uploaded on stop.")
            .build();

    static final ConfigKey<Path> TMP_DIR = ConfigKey.builder("profiling.tmp.dir", folder())
            .env("PYROSCOPE_TMP_DIR")
            .defaultValue(c -> Path.of(System.getProperty("java.io.tmpdir")), "the JVM's java.io.tmpdir")
            .description("Where the profiler's native library is unpacked and loaded from, unless the runtime image ships it in its lib/ (the container image does); must allow executing files (not a noexec mount).")
            .build();

    /**
     * Pyroscope's own variable for it. async-profiler 4 samples contended locks: one sample each
     * time the threads' summed waiting overflows this interval, so a shorter one walks more stacks
     * at full load, where the request threads queue on the console and the batch queues.
     */
    static final ConfigKey<Optional<Duration>> LOCK_INTERVAL = ConfigKey.builder("profiling.lock", lockInterval())
            .env("PYROSCOPE_PROFILER_LOCK")
            .defaultValue(Optional.of(Duration.ofMillis(10)))
            .description("Lock contention profiling: a sample each time this much waiting for locks has added up, a positive duration (Pyroscope's 10ms by default), or off (also 0).")
            .build();

    static final List<ConfigKey<?>> ALL = List.of(UPLOAD_INTERVAL, TMP_DIR, LOCK_INTERVAL);

    private ProfilingKeys() {}

    /** Pyroscope's time range has whole seconds, so a shorter interval would upload empty ranges. */
    private static ValueType<Duration> atLeastOneSecond() {
        ValueType<Duration> duration = ValueType.duration();
        return new ValueType<>() {
            @Override
            public Parsed<Duration> parse(String raw) {
                return duration.parse(raw) instanceof Parsed.Value<Duration> v && v.value().toMillis() >= 1000
                        ? v
                        : Parsed.invalid("a duration of at least 1s, such as 10s or 1m");
            }

            @Override
            public String label() {
                return duration.label();
            }

            @Override
            public String format(Duration value) {
                return duration.format(value);
            }
        };
    }

    /** A positive duration, or off (also false, 0 or no) for no lock profile. */
    private static ValueType<Optional<Duration>> lockInterval() {
        ValueType<Duration> duration = ValueType.duration();
        return new ValueType<>() {
            @Override
            public Parsed<Optional<Duration>> parse(String raw) {
                if (Set.of("off", "false", "no", "0").contains(raw.trim().toLowerCase(Locale.ROOT))) {
                    return Parsed.value(Optional.empty());
                }
                return duration.parse(raw) instanceof Parsed.Value<Duration> v
                        ? Parsed.value(Optional.of(v.value()))
                        : Parsed.invalid("a positive duration such as 10ms or 100ms, or off");
            }

            @Override
            public String label() {
                return "<duration|off>";
            }

            @Override
            public String format(Optional<Duration> value) {
                return value.map(duration::format).orElse("off");
            }
        };
    }

    private static ValueType<Path> folder() {
        return new ValueType<>() {
            @Override
            public Parsed<Path> parse(String raw) {
                try {
                    return raw.isBlank() ? Parsed.invalid("a folder path") : Parsed.value(Path.of(raw.trim()));
                } catch (InvalidPathException e) {
                    return Parsed.invalid("a folder path");
                }
            }

            @Override
            public String label() {
                return "<dir>";
            }
        };
    }
}
