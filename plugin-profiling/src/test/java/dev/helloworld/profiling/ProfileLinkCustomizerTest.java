package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileLinkCustomizerTest {

    @Test
    void linksOnlyWhenTheOtlpPluginPassesBothProfilingAndTracesOn() {
        assertEquals(true, linked(Map.of(ProfileLinkCustomizer.PROFILING, "true", ProfileLinkCustomizer.TRACES, "true")));
        assertEquals(false, linked(Map.of(ProfileLinkCustomizer.PROFILING, "true", ProfileLinkCustomizer.TRACES, "false")));
        assertEquals(false, linked(Map.of(ProfileLinkCustomizer.PROFILING, "false", ProfileLinkCustomizer.TRACES, "true")));
        assertEquals(false, linked(Map.of()), "an SDK built by anyone else than the OTLP plugin");
    }

    private static boolean linked(Map<String, String> properties) {
        return ProfileLinkCustomizer.linked(DefaultConfigProperties.createFromMap(properties));
    }
}
