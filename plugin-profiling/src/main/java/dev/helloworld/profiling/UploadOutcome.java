package dev.helloworld.profiling;

import io.pyroscope.javaagent.api.Logger;
import java.util.Optional;

/**
 * The agent's logger for one check upload: the agent's exporter says how an upload went only by
 * logging "Error uploading snapshot: &lt;status&gt; &lt;body&gt;" or "Error uploading snapshot:
 * &lt;message&gt;", and nothing on success. This keeps the last such error, and logs nothing.
 */
final class UploadOutcome implements Logger {

    private static final String UPLOAD_ERROR = "Error uploading snapshot";

    /** The HTTP status and body of a refused upload, or the I/O error's message (status 0). */
    record Error(int status, String text) {}

    private volatile Error last;

    @Override
    public void log(Logger.Level level, String format, Object... args) {
        if (level != Logger.Level.ERROR || !format.startsWith(UPLOAD_ERROR)) {
            return;
        }
        if (args.length >= 2 && args[0] instanceof Integer status) {
            last = new Error(status, String.valueOf(args[1]));
        } else {
            last = new Error(0, args.length == 0 ? "" : String.valueOf(args[0]));
        }
    }

    /** The last upload error; empty when the upload got through. */
    Optional<Error> error() {
        return Optional.ofNullable(last);
    }
}
