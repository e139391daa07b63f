package dev.helloworld.scenarios;

import dev.helloworld.core.config.Parsed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A timetable of incidents from a file ({@code --scenario-schedule}), one a line:
 * {@code error-burst rate=0.5 after=10s for=20s every=60s}, the scenario's name then its
 * parameters as {@code --scenario} takes them, separated by spaces; {@code #} starts a comment.
 * Each scenario at most once, as with {@code --scenario}: a second line for it would silently
 * replace the first, since a scenario runs one incident at a time.
 *
 * @param file      the file it was read from; empty for none
 * @param incidents the incidents, in the order of their lines
 */
record Schedule(Optional<Path> file, List<ScenarioRequest> incidents) {

    static final Schedule NONE = new Schedule(Optional.empty(), List.of());

    Schedule {
        incidents = List.copyOf(incidents);
    }

    /** Reads {@code file}; an invalid one completes "expected ...", naming the line. */
    static Parsed<Schedule> read(String file) {
        try {
            Path path = Path.of(file.trim());
            if (!file.isBlank() && Files.isRegularFile(path) && Files.isReadable(path)) {
                return parse(path, Files.readString(path));
            }
        } catch (InvalidPathException | IOException e) {
            // reported below, with what is allowed
        }
        return Parsed.invalid("the path of a readable schedule file");
    }

    /** The text of a schedule file: each line {@code NAME [k=v ...]}, blank, or a {@code #} comment. */
    static Parsed<Schedule> parse(Path file, String text) {
        List<ScenarioRequest> incidents = new ArrayList<>();
        Map<Scenario, Integer> lineOf = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = withoutComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            Parsed<ScenarioRequest> parsed = parseLine(line);
            if (parsed instanceof Parsed.Invalid<ScenarioRequest> invalid) {
                return Parsed.invalid("on line " + number + " " + invalid.expected());
            }
            ScenarioRequest request = ((Parsed.Value<ScenarioRequest>) parsed).value();
            Integer earlier = lineOf.putIfAbsent(request.scenario(), number);
            if (earlier != null) {
                return Parsed.invalid("on line " + number + " each scenario once ('" + request.scenario().id()
                        + "' is on line " + earlier + " too)");
            }
            incidents.add(request);
        }
        return Parsed.value(new Schedule(Optional.of(file), incidents));
    }

    private static Parsed<ScenarioRequest> parseLine(String line) {
        String[] words = line.split("\\s+");
        Map<String, String> given = new LinkedHashMap<>();
        for (int w = 1; w < words.length; w++) {
            int equals = words[w].indexOf('=');
            if (equals <= 0) {
                return Parsed.invalid("NAME k=v ..., where '" + words[w] + "' is no k=v");
            }
            String key = words[w].substring(0, equals);
            if (given.putIfAbsent(key, words[w].substring(equals + 1)) != null) {
                return Parsed.invalid("each parameter once ('" + key + "' is given twice)");
            }
        }
        return ScenarioRequest.of(words[0], given);
    }

    private static String withoutComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
