package dev.helloworld.scenarios;

import dev.helloworld.core.spi.IncidentLog;
import dev.helloworld.core.spi.RequestHook;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The incidents switched on, scheduled or running, at most one per scenario: a second start of a
 * scenario replaces the first (ending it, if it runs) rather than stacking on it. As the
 * {@link RequestHook}, it applies every running incident's effect to each request.
 */
final class Incidents implements RequestHook {

    /** Where one incident is in its life. */
    enum Phase {
        /** Switched on, waiting for its {@code after} (or, repeating, for its next start). */
        SCHEDULED,
        /** Affecting requests. */
        RUNNING
    }

    /** One incident and its timers. */
    private static final class Incident {
        final ScenarioRequest request;
        /** A new one for each run, so that a repeat starts as fresh as the first whatever the effect keeps. */
        Effect effect;
        Phase phase = Phase.SCHEDULED;
        /** The planned start of its current (or next) run; a repeat is planned from the one before. */
        Instant plannedStart;
        Instant startsAt;
        Instant endsAt;
        final List<ScheduledFuture<?>> timers = new ArrayList<>();

        Incident(ScenarioRequest request) {
            this.request = request;
        }

        boolean repeats() {
            return !request.every().isZero();
        }
    }

    /** What the management port shows of one incident; {@code nextStartsAt} for a repeating one. */
    record State(Scenario scenario, Phase phase, String parameters, Instant startsAt, Optional<Instant> endsAt,
            Optional<Instant> nextStartsAt) {}

    private final Truth truth;
    private final OpenTelemetry openTelemetry;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "scenarios");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Scenario, Incident> incidents = new EnumMap<>(Scenario.class);
    /** The runs kept for the record: a day of a one-second repeat would be 86 400, the newest of which matter. */
    static final int MAX_ENDED = 10_000;

    /** Every run that ended, in the order they ended: what {@code launcher verify} puts in its manifest. */
    private final List<IncidentLog.Incident> ended = new ArrayList<>();
    /** The running incidents' effects and where each lands, read by every request without a lock. */
    private volatile List<Aimed> running = List.of();
    private volatile Set<Scenario> runningScenarios = Set.of();

    Incidents(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.truth = new Truth(openTelemetry, () -> runningScenarios);
    }

    /** One running incident's effect and its {@link Target}. */
    private record Aimed(String target, Effect effect) {}

    /** The process's own server's requests: the incidents aimed at {@link Target#SERVICE}. */
    @Override
    public Optional<RequestFailure> beforeRequest(String method, String path) {
        return apply(Target.SERVICE, method, path);
    }

    /** A logical service's request or dependency call: the incidents aimed at it, its node as the path. */
    @Override
    public Optional<RequestFailure> beforeWork(String target) {
        return apply(target, "GET", target);
    }

    private Optional<RequestFailure> apply(String target, String method, String path) {
        for (Aimed aimed : running) {
            if (!aimed.target().equals(target)) {
                continue;
            }
            Optional<RequestFailure> failure = aimed.effect().onRequest(method, path);
            if (failure.isPresent()) {
                return failure;
            }
        }
        return Optional.empty();
    }

    /** Switches {@code request} on: at once or after its {@code after}, for its {@code for}, again {@code every}. */
    synchronized State start(ScenarioRequest request) {
        Incident previous = incidents.remove(request.scenario());
        if (previous != null) {
            end(previous, "replaced by a new start");
        }
        Incident incident = new Incident(request);
        incident.plannedStart = Instant.now().plus(request.after());
        incidents.put(request.scenario(), incident);
        if (request.after().isZero()) {
            begin(incident);
        } else {
            plan(incident);
        }
        return state(incident);
    }

    /** Ends the scenario's incident, and its repeats; empty when none was switched on. */
    synchronized Optional<State> stop(Scenario scenario, String why) {
        Incident incident = incidents.remove(scenario);
        if (incident == null) {
            return Optional.empty();
        }
        end(incident, why);
        return Optional.of(state(incident));
    }

    /** Every scenario, switched on or not, in catalog order. */
    synchronized List<State> states() {
        return incidents.values().stream().map(Incidents::state).toList();
    }

    /** Every run that has ended so far, with its recorded start and end. */
    synchronized List<IncidentLog.Incident> ended() {
        return List.copyOf(ended);
    }

    /** Ends every incident and the timer: the service is stopping. */
    synchronized void stopAll() {
        for (Scenario scenario : List.copyOf(incidents.keySet())) {
            stop(scenario, "the service stopped");
        }
        timer.shutdownNow();
    }

    /** Waits for its planned start, then begins it. */
    private void plan(Incident incident) {
        incident.phase = Phase.SCHEDULED;
        incident.startsAt = incident.plannedStart;
        incident.endsAt = incident.request.lasting().isZero() ? null : incident.plannedStart.plus(incident.request.lasting());
        long wait = Math.max(0, Duration.between(Instant.now(), incident.plannedStart).toNanos());
        incident.timers.add(timer.schedule(() -> begin(incident), wait, TimeUnit.NANOSECONDS));
    }

    private synchronized void begin(Incident incident) {
        if (incidents.get(incident.request.scenario()) != incident) {
            return; // replaced or stopped while its timer fired
        }
        incident.timers.clear(); // the one that fired, if any: the others were cancelled with their run
        incident.effect = incident.request.scenario().effect(incident.request.parameters(), openTelemetry);
        incident.phase = Phase.RUNNING;
        incident.startsAt = Instant.now();
        // Recorded first, so that nothing is injected before the recorded start (and, in end(),
        // withdrawn first, so that nothing is injected after the recorded end but what was in flight).
        truth.started(incident.request);
        incident.effect.started();
        publishRunning();
        Duration lasting = incident.request.lasting();
        incident.endsAt = null;
        if (!lasting.isZero()) {
            // Counted from the recorded start, so that the recorded window is never shorter than 'for'.
            incident.endsAt = Instant.now().plus(lasting);
            incident.timers.add(timer.schedule(() -> windowEnded(incident), lasting.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    /** Its {@code for} is over: it ends, and waits for its next start when it repeats. */
    private synchronized void windowEnded(Incident incident) {
        Scenario scenario = incident.request.scenario();
        if (incidents.get(scenario) != incident) {
            return;
        }
        // Unlisted while it ends, so that its effect is withdrawn before the end is recorded.
        incidents.remove(scenario);
        end(incident, "its window ended");
        if (incident.repeats()) {
            incidents.put(scenario, incident);
            incident.plannedStart = incident.plannedStart.plus(incident.request.every());
            plan(incident);
        }
    }

    private void end(Incident incident, String why) {
        incident.timers.forEach(t -> t.cancel(false));
        incident.timers.clear();
        if (incident.phase == Phase.RUNNING) {
            incident.endsAt = Instant.now();
            incident.effect.ended();
            publishRunning();
            truth.ended(incident.request, why);
            if (ended.size() == MAX_ENDED) {
                ended.remove(0);
            }
            ended.add(new IncidentLog.Incident(incident.request.scenario().id(), incident.request.parameters().format(),
                    incident.request.target(), incident.startsAt, incident.endsAt, why));
        }
    }

    private void publishRunning() {
        List<Incident> now = incidents.values().stream().filter(i -> i.phase == Phase.RUNNING).toList();
        running = now.stream().map(i -> new Aimed(i.request.parameters().get(Target.TARGET), i.effect)).toList();
        runningScenarios = now.stream().map(i -> i.request.scenario()).collect(Collectors.toUnmodifiableSet());
    }

    private static State state(Incident incident) {
        Optional<Instant> next = !incident.repeats() ? Optional.empty() : Optional.of(incident.phase == Phase.RUNNING
                ? incident.plannedStart.plus(incident.request.every()) : incident.plannedStart);
        return new State(incident.request.scenario(), incident.phase, incident.request.parameters().format(),
                incident.startsAt, Optional.ofNullable(incident.endsAt), next);
    }
}
