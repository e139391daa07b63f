/**
 * Continuous profiling with the Pyroscope agent, linked to traces. Nothing is exported: the
 * plugin is reached only through the two services it provides.
 */
module dev.helloworld.profiling {
    requires dev.helloworld.core;
    // io.pyroscope:agent has no module descriptor and no Automatic-Module-Name, so its automatic
    // module is named after the jar file: keep it "agent-<version>.jar" in lib/.
    requires agent;
    // The agent's shaded protobuf uses sun.misc.Unsafe (jdeps). An automatic module reads every
    // module but makes none resolve, so the JDK modules it needs are required here.
    requires jdk.unsupported;
    // The span processor, and the SPI through which the OTLP plugin's SDK finds it.
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.sdk.autoconfigure.spi;

    provides dev.helloworld.core.spi.Service with dev.helloworld.profiling.ProfilingService;
    provides dev.helloworld.core.spi.ExportCheck with dev.helloworld.profiling.ProfilingExportCheck;
    provides io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider
            with dev.helloworld.profiling.ProfileLinkCustomizer;
}
