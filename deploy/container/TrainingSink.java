import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for the collector and the Pyroscope server while train-archive trains the plugins'
 * archive: answers every request 200 with an empty body (an empty protobuf message is a whole
 * OTLP export response), on 127.0.0.1 and a port of the system's choosing, written to the file
 * named by its one argument. The exports must succeed: a training run that lost telemetry does
 * not stop cleanly, and the launcher keeps only the archive of a clean run.
 *
 * <p>One file run by the JDK's source launcher ({@code java TrainingSink.java PORT_FILE}); it needs
 * the JDK's jdk.httpserver module, which the runtime image leaves out.
 */
public final class TrainingSink {

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                // Read whole, so that the connection can be reused.
                body.transferTo(OutputStream.nullOutputStream());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        Path portFile = Path.of(args[0]);
        Path partial = portFile.resolveSibling(portFile.getFileName() + ".partial");
        Files.writeString(partial, String.valueOf(server.getAddress().getPort()));
        // Renamed into place, so that whoever polls for the file never reads half a number.
        Files.move(partial, portFile);
    }
}
