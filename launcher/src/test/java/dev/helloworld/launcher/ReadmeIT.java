package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's configuration table names every option and variable the real launcher has. */
class ReadmeIT {

    @Test
    void documentsEveryOptionAndVariableOfTheDistribution() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> rows;
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(), "config")) {
            assertEquals(0, launcher.awaitExit(Duration.ofSeconds(30)), launcher.output());
            rows = launcher.stdout().subList(1, launcher.stdout().size());
        }
        assertTrue(rows.size() >= 25, "launcher config should list every key: " + rows);
        for (String row : rows) {
            String[] columns = row.split(" {2,}");
            String option = columns[0];
            String variable = columns[1];
            assertTrue(readme.contains("`" + option + " ") || readme.contains("`--[no-]" + option.substring(2) + "`"),
                    "README lacks the option " + option);
            assertTrue(variable.equals("-") || readme.contains("`" + variable + "`"), "README lacks the variable " + variable);
        }
    }
}
