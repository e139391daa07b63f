package dev.helloworld.verify;

import dev.helloworld.core.json.Json;
import dev.helloworld.core.spi.KnownAnswerRun;
import dev.helloworld.core.spi.SignalCheck;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The provider behind {@code launcher verify}: arms the recorder, and reads a manifest back. */
public final class VerifyRun implements KnownAnswerRun {

    @Override
    public Recording record() {
        byte[] id = new byte[8];
        ThreadLocalRandom.current().nextBytes(id);
        return RunRecording.arm(HexFormat.of().formatHex(id));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<SignalCheck> readBack(Path file, Map<Backend, URI> backends, Duration wait) throws IOException {
        Manifest manifest = Manifest.fromJson((Map<String, Object>) Json.parse(Files.readString(file)));
        Deadline deadline = Deadline.after(wait);
        QueryClient client = new QueryClient();
        List<SignalCheck> lines = new ArrayList<>();
        try {
            for (Map.Entry<Backend, URI> backend : backends.entrySet()) {
                lines.addAll(switch (backend.getKey()) {
                    case ZIPKIN -> List.of(new StoredTraces(client, TraceApi.ZIPKIN).check(manifest, backend.getValue(), deadline));
                    case TEMPO -> List.of(new StoredTraces(client, TraceApi.TEMPO).check(manifest, backend.getValue(), deadline));
                    case JAEGER -> List.of(new StoredTraces(client, TraceApi.JAEGER).check(manifest, backend.getValue(), deadline));
                    case PROMETHEUS -> new PrometheusMetrics(client).check(manifest, backend.getValue(), deadline);
                    case LOKI -> List.of(new LokiLogs(client).check(manifest, backend.getValue(), deadline));
                    case PYROSCOPE -> new PyroscopeProfiles(client).check(manifest, backend.getValue(), deadline);
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines;
    }
}
