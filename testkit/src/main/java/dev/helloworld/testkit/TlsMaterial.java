package dev.helloworld.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool
 * (the JDK has no public API to sign a certificate). The certificate is its own CA: a client
 * that trusts {@link #caCertificate()} trusts the receiver.
 */
final class TlsMaterial {

    private static final char[] PASSWORD = "receiver".toCharArray();

    private final Path dir;
    private final KeyManagerFactory keys;

    private TlsMaterial(Path dir, KeyManagerFactory keys) {
        this.dir = dir;
        this.keys = keys;
    }

    private static TlsMaterial shared;

    /**
     * The JVM's one certificate, made on first use: keytool takes seconds, and every receiver can
     * present the same certificate. Deleted when the JVM exits.
     */
    static synchronized TlsMaterial shared() throws IOException {
        if (shared == null) {
            TlsMaterial made = generate();
            Runtime.getRuntime().addShutdownHook(new Thread(made::delete, "otlp-receiver-tls-cleanup"));
            shared = made;
        }
        return shared;
    }

    private static TlsMaterial generate() throws IOException {
        Path dir = Files.createTempDirectory("otlp-receiver-tls");
        Path store = dir.resolve("receiver.p12");
        String password = new String(PASSWORD);
        keytool("-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        keytool("-exportcert", "-rfc", "-alias", "receiver", "-keystore", store.toString(),
                "-storepass", password, "-file", dir.resolve("ca.pem").toString());
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, PASSWORD);
            return new TlsMaterial(dir, keys);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the generated key store: " + e.getMessage(), e);
        }
    }

    /** The PEM file a client must trust. */
    Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    KeyManagerFactory keyManagers() {
        return keys;
    }

    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    void delete() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A few bytes left in the temp directory; not worth failing a test for.
        }
    }

    private static void keytool(String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        } finally {
            process.destroy();
        }
    }
}
