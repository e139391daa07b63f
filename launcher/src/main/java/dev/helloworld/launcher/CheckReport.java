package dev.helloworld.launcher;

import dev.helloworld.core.config.Secrets;
import dev.helloworld.core.config.ServiceIdentity;
import dev.helloworld.core.json.Json;
import dev.helloworld.core.spi.SignalCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of {@code launcher check}, as text for people or JSON for scripts: first who the
 * telemetry was sent as (the identity, each value with where it came from), then one line per
 * signal; the token masked.
 */
final class CheckReport {

    private final ServiceIdentity identity;
    private final List<SignalCheck> lines;
    private final String token;

    CheckReport(ServiceIdentity identity, List<SignalCheck> lines) {
        this.identity = identity;
        this.lines = lines;
        this.token = identity.token().value();
    }

    /** True when no enabled signal failed: what exit code 0 means. */
    boolean allThrough() {
        return lines.stream().noneMatch(l -> l.status() == SignalCheck.Status.FAILED);
    }

    /**
     * {@code service.name  shop  env OTEL_SERVICE_NAME}, a line per part of the identity, an empty
     * line, then {@code traces  OK  12 ms  http://...}; a failure adds its cause and fix, a
     * skipped signal why.
     */
    String text() {
        if (lines.isEmpty()) {
            return "nothing to check: no plugin that exports is installed" + System.lineSeparator();
        }
        List<List<String>> sentAs = new ArrayList<>();
        for (ServiceIdentity.Setting setting : identity.settings()) {
            sentAs.add(List.of(setting.key().name(), setting.display(), setting.origin().toString()));
        }
        return Table.format(sentAs) + System.lineSeparator() + signalLines();
    }

    private String signalLines() {
        List<List<String>> rows = new ArrayList<>();
        for (SignalCheck l : lines) {
            String time = l.status() == SignalCheck.Status.SKIPPED ? "-" : l.elapsed().toMillis() + " ms";
            String detail = l.fix().isEmpty() ? l.cause() : l.cause() + ": " + l.fix();
            rows.add(List.of(l.signal(), l.status().name(), time, safe(l.target()), safe(detail)));
        }
        return Table.format(rows);
    }

    /**
     * One object: {@code {"ok":...,"timeout_ms":...,"identity":[{"key":"service.name","value":...,
     * "source":...}, ...],"signals":[{...}, ...]}}.
     */
    String json(Duration timeout) {
        StringBuilder out = new StringBuilder();
        out.append("{\"ok\":").append(allThrough()).append(",\"timeout_ms\":").append(timeout.toMillis())
                .append(",\"identity\":[");
        List<ServiceIdentity.Setting> settings = identity.settings();
        for (int i = 0; i < settings.size(); i++) {
            ServiceIdentity.Setting setting = settings.get(i);
            out.append(i == 0 ? "" : ",").append("{\"key\":").append(Json.quote(setting.key().name()))
                    .append(",\"value\":").append(Json.quote(setting.display()))
                    .append(",\"source\":").append(Json.quote(setting.origin().toString())).append('}');
        }
        out.append("],\"signals\":[");
        for (int i = 0; i < lines.size(); i++) {
            SignalCheck l = lines.get(i);
            out.append(i == 0 ? "" : ",").append('{')
                    .append("\"signal\":").append(Json.quote(l.signal()))
                    .append(",\"status\":").append(Json.quote(l.status().name()))
                    .append(",\"target\":").append(Json.quote(safe(l.target())))
                    .append(",\"elapsed_ms\":").append(l.elapsed().toMillis())
                    .append(",\"cause\":").append(Json.quote(safe(l.cause())))
                    .append(",\"fix\":").append(Json.quote(safe(l.fix())))
                    .append('}');
        }
        return out.append("]}").append(System.lineSeparator()).toString();
    }

    /** A collector may echo what it was sent; the token never reaches the output whole. */
    private String safe(String text) {
        String masked = Secrets.maskUrlCredentials(text);
        return token.isEmpty() ? masked : masked.replace(token, Secrets.mask(token));
    }
}
