package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The files under deploy/ checked against the project itself: what they set is what the launcher
 * knows, what they probe answers on a running distribution, and the numbers in them agree with the
 * service's own (shutdown timeout, measured memory). No container runs here (no engine, no
 * registry); the Kubernetes manifests are rendered with {@code kubectl kustomize} where kubectl is
 * installed, and read as they are written otherwise.
 */
class DeployIT {

    /**
     * The peak resident memory (anonymous + mapped file) of the image with every signal on at
     * 200 req/s, as {@link ContainerMemoryIT} bounds it inside a 128 MiB memory cgroup
     * (BENCHMARKS.md, figure 7); a container's limit must leave 20 % over it.
     */
    /** The container image's peak with every signal on, files it maps included (it brings the plugins' archive). */
    private static final long MEASURED_PEAK_MIB = ContainerMemoryIT.ARCHIVED_PEAK_BOUND >> 20;
    /** Without an archive for its JAVA_OPTS: under the limit, with less to spare. */
    private static final long UNARCHIVED_PEAK_MIB = ContainerMemoryIT.PEAK_BOUND >> 20;

    private static final Path DEPLOY = Path.of(System.getProperty("helloworld.deploy", "../deploy"));

    private static Set<String> launcherVariables;
    private static String dockerfile;

    @BeforeAll
    static void readProject() throws Exception {
        try (LauncherProcess config = LauncherProcess.start(LauncherProcess.dist(), Map.of(), "config")) {
            assertEquals(0, config.awaitExit(Duration.ofSeconds(60)), config.output());
            launcherVariables = new TreeSet<>();
            for (String line : config.stdout().subList(1, config.stdout().size())) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length > 1 && columns[1].matches("[A-Z][A-Z0-9_]*")) {
                    launcherVariables.add(columns[1]);
                }
            }
        }
        assertTrue(launcherVariables.contains("OTLP_ENDPOINT"), "launcher config lists its variables: " + launcherVariables);
        dockerfile = Files.readString(DEPLOY.resolve("container/Dockerfile"));
    }

    @Test
    void everySettingTheManifestsMakeIsOneTheLauncherKnows() throws Exception {
        Map<String, String> settings = kubernetesSettings("overlays/steady-load");
        settings.putAll(composeEnvironment());
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(launcherVariables);
        assertTrue(unknown.isEmpty(), "variables that `launcher config` does not know: " + unknown);
        assertTrue(settings.keySet().containsAll(List.of("OTLP_ENDPOINT", "QUERY_RATE", "SHUTDOWN_TIMEOUT")), settings.toString());
    }

    @Test
    void theImageEnvironmentIsOneTheLauncherReads() throws Exception {
        String script = Files.readString(LauncherProcess.dist().resolve("../image/bin/launcher"));
        Matcher env = Pattern.compile("(?m)^ENV ((?:.|\\\\\\n)*?)(?<!\\\\)$").matcher(dockerfile);
        List<String> names = new ArrayList<>();
        while (env.find()) {
            Matcher name = Pattern.compile("([A-Z_][A-Z0-9_]*)=").matcher(env.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        assertFalse(names.isEmpty(), "the Dockerfile sets the image's environment");
        for (String name : names) {
            // HOME and XDG_CACHE_HOME decide where the plugins' class data sharing archive goes;
            // the others are settings of `launcher config` (SHUTDOWN_TIMEOUT).
            assertTrue(script.contains(name) || launcherVariables.contains(name),
                    name + " is set by the Dockerfile but read neither by bin/launcher nor as a setting of `launcher config`");
        }
    }

    @Test
    void theContainerRunsTheImagesLauncherAsTheManifestsUser() throws Exception {
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT \\[\"([^\"]+)\", \"([^\"]+)\"]").matcher(dockerfile);
        assertTrue(entrypoint.find(), "an exec-form ENTRYPOINT, so that SIGTERM reaches the JVM");
        Matcher copy = Pattern.compile("(?m)^COPY --from=build (\\S+) (\\S+)$").matcher(dockerfile);
        assertTrue(copy.find(), "the runtime image is copied from the build stage");
        // The plugins' archive is keyed to the install path: trained where the image runs from.
        assertEquals(copy.group(1), copy.group(2), "the runtime image is copied to the path it was built at");
        assertTrue(dockerfile.contains("\nRUN deploy/container/train-archive " + copy.group(2) + "\n"),
                "the build stage trains the plugins' archive at " + copy.group(2));
        Path image = LauncherProcess.dist().resolve("../image");
        String launcher = entrypoint.group(1);
        assertTrue(launcher.startsWith(copy.group(1) + "/"), launcher + " is inside " + copy.group(1));
        assertTrue(Files.isExecutable(image.resolve(launcher.substring(copy.group(1).length() + 1))), launcher);
        assertEquals("run", entrypoint.group(2));
        assertTrue(Files.readString(image.resolve("bin/launcher")).contains("exec \"$home/bin/java\""),
                "bin/launcher execs java, so the JVM is the process that gets the signal");

        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(dockerfile);
        assertTrue(user.find(), "a numeric non-root USER");
        Map<String, Object> pod = podSpec("base");
        Map<String, Object> security = map(pod.get("securityContext"));
        assertEquals(Integer.parseInt(user.group(1)), security.get("runAsUser"));
        assertEquals(Boolean.TRUE, security.get("runAsNonRoot"));
        Map<String, Object> container = container(pod);
        Map<String, Object> containerSecurity = map(container.get("securityContext"));
        assertEquals(Boolean.TRUE, containerSecurity.get("readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, containerSecurity.get("allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), map(containerSecurity.get("capabilities")).get("drop"));
    }

    /**
     * The whole stop, the last flush included, ends before the platform's SIGKILL: `docker stop`'s
     * and compose's 10 s with the image's SHUTDOWN_TIMEOUT, Kubernetes' grace period with
     * settings.env's (theGracePeriodOutlastsTheShutdownTimeout...), with at least a second to spare
     * for the JVM's exit (a 10 s timeout took 10.08-10.11 s to stop).
     */
    @Test
    void theImagesShutdownTimeoutEndsBeforeDockersAndComposesKill() throws Exception {
        Matcher env = Pattern.compile("SHUTDOWN_TIMEOUT=(\\S+)").matcher(dockerfile);
        assertTrue(env.find(), "the image sets SHUTDOWN_TIMEOUT");
        Duration shutdown = Durations.parse(env.group(1)).orElseThrow();
        assertTrue(shutdown.plusSeconds(1).compareTo(Duration.ofSeconds(10)) <= 0,
                "the image's SHUTDOWN_TIMEOUT " + shutdown + " leaves a second under docker stop's 10 s");
        Map<String, Object> compose = map(map(yaml(Files.readString(DEPLOY.resolve("compose/compose.yaml"))).get(0)
                .get("services")).get("helloworld"));
        assertFalse(map(compose.get("environment")).containsKey("SHUTDOWN_TIMEOUT"), "compose keeps the image's timeout");
        Duration grace = Durations.parse(String.valueOf(compose.get("stop_grace_period"))).orElseThrow();
        assertTrue(shutdown.plusSeconds(1).compareTo(grace) <= 0, "compose's stop_grace_period " + grace
                + " is set, a second or more above the image's SHUTDOWN_TIMEOUT " + shutdown);
    }

    /** Nothing pulled that a local engine cannot have: no Dockerfile frontend, base images as build arguments, no pull of a local image. */
    @Test
    void aLocalBuildNeedsNoRegistryButForItsBaseImages() throws Exception {
        assertFalse(dockerfile.contains("# syntax="), "a syntax line pulls a Dockerfile frontend from Docker Hub");
        List<String> from = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(List.of("FROM ${BUILD_IMAGE} AS build", "FROM ${RUNTIME_IMAGE}"), from, "base images as build arguments");
        assertEquals("IfNotPresent", container(podSpec("base")).get("imagePullPolicy"),
                "a locally built image is used, not pulled (:latest would always pull)");
    }

    @Test
    void theDockerfileBuildsWithTheReadmesCommand() throws Exception {
        String readme = Files.readString(DEPLOY.resolve("../README.md"));
        Matcher build = Pattern.compile("\\./mvnw -B -q package -DskipTests").matcher(readme);
        assertTrue(build.find(), "README's first command builds with the wrapper");
        assertTrue(dockerfile.contains(build.group()), "the Dockerfile builds as README does: " + build.group());
    }

    @Test
    void theGracePeriodOutlastsTheShutdownTimeoutAndTheMemoryLimitTheMeasuredPeak() throws Exception {
        Map<String, Object> pod = podSpec("base");
        Duration shutdown = Durations.parse(kubernetesSettings("base").get("SHUTDOWN_TIMEOUT")).orElseThrow();
        long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();
        assertTrue(grace > shutdown.toSeconds(), grace + " s grace, shutdown timeout " + shutdown);

        Map<String, Object> resources = map(container(pod).get("resources"));
        long limitMib = mebibytes(String.valueOf(map(resources.get("limits")).get("memory")));
        // 128 MiB held for 10 minutes at 200 req/s in a real engine (BENCHMARKS.md, figure 11).
        assertTrue(limitMib * 100 >= MEASURED_PEAK_MIB * 115,
                limitMib + " MiB limit leaves less than 15 % over the measured peak of " + MEASURED_PEAK_MIB + " MiB");
        assertTrue(limitMib > UNARCHIVED_PEAK_MIB, limitMib + " MiB limit is above the peak without the plugins' archive, "
                + UNARCHIVED_PEAK_MIB + " MiB");
        long requestMib = mebibytes(String.valueOf(map(resources.get("requests")).get("memory")));
        assertTrue(requestMib >= MEASURED_PEAK_MIB, "the request covers the measured peak: " + requestMib);
        assertTrue(requestMib <= limitMib, "the request is within the limit: " + requestMib + " of " + limitMib);
    }

    @Test
    void theProbesAnswerOnADistributionRunWithTheManifestsSettings() throws Exception {
        Map<String, String> settings = kubernetesSettings("base");
        Map<String, Object> container = container(podSpec("base"));
        Map<String, Integer> ports = new HashMap<>();
        for (Object port : (List<?>) container.get("ports")) {
            ports.put(String.valueOf(map(port).get("name")), (Integer) map(port).get("containerPort"));
        }
        assertEquals(Integer.valueOf(settings.get("HTTP_PORT")), ports.get("http"), "the container port is HTTP_PORT");
        assertEquals(Integer.valueOf(settings.get("MANAGEMENT_PORT")), ports.get("management"),
                "the container port is MANAGEMENT_PORT");

        // The manifests' settings, but no collector, no profiler and free ports: the probes' answers
        // depend on the plugins being up, not on where their telemetry goes.
        Map<String, String> env = new HashMap<>(settings);
        env.put("OTLP_EXPORTER_TYPE", "none");
        env.put("ENABLE_PROFILING", "false");
        env.put("HTTP_PORT", "0");
        env.put("MANAGEMENT_PORT", "0");
        try (LauncherProcess service = LauncherProcess.start(LauncherProcess.dist(), env, "run")) {
            String probesLine = service.awaitStdout(l -> l.contains("[http] probes also on "), Duration.ofSeconds(60),
                    "the management listener's line");
            Matcher probesAt = Pattern.compile("(http://[^/\\s]+)/").matcher(probesLine);
            assertTrue(probesAt.find(), probesLine);
            Map<String, URI> bases = Map.of("http", service.awaitHttpBase(Duration.ofSeconds(60)),
                    "management", URI.create(probesAt.group(1)));
            HttpClient client = HttpClient.newHttpClient();
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                Map<String, Object> httpGet = map(map(container.get(probe)).get("httpGet"));
                assertEquals("management", httpGet.get("port"), probe + " probes the management listener");
                URI uri = bases.get(String.valueOf(httpGet.get("port"))).resolve(String.valueOf(httpGet.get("path")));
                assertEquals(200, awaitStatus(client, uri, 200, Duration.ofSeconds(30)), probe + " " + uri);
            }
            service.terminate();
            assertEquals(0, service.awaitExit(Duration.ofSeconds(30)), service.output());
        }
    }

    @Test
    void theComposeStackCarriesEverySignal() throws Exception {
        Map<String, Object> collector = yaml(Files.readString(DEPLOY.resolve("compose/collector/config.yaml"))).get(0);
        Map<String, Object> pipelines = map(map(collector.get("service")).get("pipelines"));
        assertEquals(Set.of("traces", "metrics", "logs"), pipelines.keySet());
        Map<String, Object> protocols = map(map(map(collector.get("receivers")).get("otlp")).get("protocols"));
        assertEquals(Set.of("grpc", "http"), protocols.keySet());

        Map<String, String> env = composeEnvironment();
        for (String signal : List.of("ENABLE_TRACES", "ENABLE_METRICS", "ENABLE_LOGS", "ENABLE_PROFILING")) {
            assertEquals("true", env.get(signal), signal);
        }
        String datasources = Files.readString(DEPLOY.resolve("compose/grafana/provisioning/datasources/datasources.yaml"));
        Map<String, Object> tempo = null;
        for (Object source : (List<?>) yaml(datasources).get(0).get("datasources")) {
            if ("tempo".equals(map(source).get("type"))) {
                tempo = map(map(source).get("jsonData"));
            }
        }
        assertTrue(tempo != null && tempo.containsKey("tracesToProfiles") && tempo.containsKey("tracesToLogsV2"),
                "Grafana links traces to profiles and to logs");
    }

    private static int awaitStatus(HttpClient client, URI uri, int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            status = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == expected) {
                return status;
            }
            Thread.sleep(50); // polling interval, not synchronisation: the deadline decides

        }
        return status;
    }

    /** The ConfigMap's data as the pods get it: rendered by kustomize, or read from the env files. */
    private static Map<String, String> kubernetesSettings(String kustomization) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map<String, Object> document : kubernetes(kustomization)) {
            if ("ConfigMap".equals(document.get("kind"))) {
                map(document.get("data")).forEach((name, value) -> settings.put(name, String.valueOf(value)));
            }
        }
        assertFalse(settings.isEmpty(), "a ConfigMap in " + kustomization);
        return settings;
    }

    private static Map<String, Object> podSpec(String kustomization) throws Exception {
        for (Map<String, Object> document : kubernetes(kustomization)) {
            if ("Deployment".equals(document.get("kind"))) {
                return map(map(map(document.get("spec")).get("template")).get("spec"));
            }
        }
        throw new AssertionError("no Deployment in " + kustomization);
    }

    private static Map<String, Object> container(Map<String, Object> pod) {
        return map(((List<?>) pod.get("containers")).get(0));
    }

    private static Map<String, String> composeEnvironment() throws IOException {
        Map<String, Object> compose = yaml(Files.readString(DEPLOY.resolve("compose/compose.yaml"))).get(0);
        Map<String, String> env = new LinkedHashMap<>();
        map(map(map(compose.get("services")).get("helloworld")).get("environment"))
                .forEach((name, value) -> env.put(name, String.valueOf(value)));
        return env;
    }

    private static List<Map<String, Object>> kubernetes(String kustomization) throws Exception {
        Path dir = DEPLOY.resolve("kubernetes").resolve(kustomization);
        if (kubectl()) {
            Process render = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
            String out = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, render.waitFor(), "kubectl kustomize " + dir + ":\n" + out);
            return yaml(out);
        }
        // Without kubectl: the base's files as written, with each kustomization's env files merged
        // into the ConfigMap as its configMapGenerator does.
        List<Map<String, Object>> documents = new ArrayList<>();
        Map<String, Object> data = new LinkedHashMap<>();
        for (Path level = dir; ; level = dir.resolve("../../base").normalize()) {
            Map<String, Object> kustomize = yaml(Files.readString(level.resolve("kustomization.yaml"))).get(0);
            for (Object resource : (List<?>) kustomize.getOrDefault("resources", List.of())) {
                if (String.valueOf(resource).endsWith(".yaml")) {
                    documents.addAll(yaml(Files.readString(level.resolve(String.valueOf(resource)))));
                }
            }
            for (Object generator : (List<?>) kustomize.getOrDefault("configMapGenerator", List.of())) {
                for (Object envs : (List<?>) map(generator).get("envs")) {
                    for (String line : Files.readAllLines(level.resolve(String.valueOf(envs)))) {
                        if (!line.isBlank() && !line.startsWith("#")) {
                            data.putIfAbsent(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                        }
                    }
                }
            }
            if (level.endsWith("base")) {
                break;
            }
        }
        documents.add(Map.of("kind", "ConfigMap", "data", data));
        return documents;
    }

    private static boolean kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    private static List<Map<String, Object>> yaml(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (document != null) {
                documents.add(map(document));
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertTrue(value instanceof Map, "expected a mapping, got " + value);
        return (Map<String, Object>) value;
    }

    private static long mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
        assertTrue(m.matches(), "a memory quantity in Mi or Gi: " + quantity);
        return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? 1024 : 1);
    }
}
