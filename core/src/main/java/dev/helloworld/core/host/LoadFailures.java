package dev.helloworld.core.host;

import dev.helloworld.core.spi.Service;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what {@link java.util.ServiceLoader} throws for one provider into a {@link BrokenPlugin}
 * that names the class and its jar.
 *
 * <p>ServiceLoader names the class in its own errors, but on the class path a provider class that
 * cannot be linked (a missing dependency, a class file for a newer Java) escapes it as a bare
 * {@link LinkageError} that names only the missing piece: the provider is then found by loading
 * each listed class that has not been seen yet until one fails the same way.
 */
final class LoadFailures {

    private static final String SERVICES = "META-INF/services/" + Service.class.getName();
    /** ServiceLoader's wording: "Provider X could not be instantiated", "Unable to load X", "X not a subtype". */
    private static final Pattern NAMED = Pattern.compile("^(?:Provider |Unable to load )?([\\p{L}_$][\\p{L}\\p{N}_$.]*)\\b");
    private static final Pattern NEWER_CLASS_FILE = Pattern.compile(
            "class file version ([\\d.]+)\\), this version of the Java Runtime only recognizes class file versions up to ([\\d.]+)");

    private LoadFailures() {}

    /**
     * The broken plugin behind {@code error}, thrown while looking up or loading a provider; empty
     * when it is one of {@code seen} failing again. (On the module path, ServiceLoader meets a
     * provider of an automatic module twice: through the module, and through the services file
     * that the class loader also finds in its jar. Both fail the same way.)
     */
    static Optional<BrokenPlugin> of(Throwable error, ClassLoader loader, Set<String> seen) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        Optional<String> className = error instanceof LinkageError linkage
                ? culprit(linkage, loader, seen)
                : namedIn(error.getMessage());
        if (className.isPresent() && seen.contains(className.get())) {
            return Optional.empty();
        }
        String name = className.orElse("?");
        return Optional.of(new BrokenPlugin(name, jarOf(name, loader), reason(error, cause)));
    }

    /** Why a provider class could not be loaded or created, in a few words. */
    static String reason(Throwable error, Throwable cause) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        Throwable linkage = error instanceof LinkageError ? error : cause;
        if (linkage instanceof UnsupportedClassVersionError) {
            Matcher m = NEWER_CLASS_FILE.matcher(String.valueOf(linkage.getMessage()));
            return m.find() ? "compiled for a newer Java (class file version " + m.group(1) + "; this Java "
                    + Runtime.version().feature() + " reads up to " + m.group(2) + ")"
                    : "compiled for a newer Java: " + linkage.getMessage();
        }
        if (linkage instanceof NoClassDefFoundError) {
            return "needs the class " + String.valueOf(linkage.getMessage()).replace('/', '.')
                    + ", which no jar here has (a missing dependency?)";
        }
        if (cause instanceof ClassNotFoundException || message.endsWith(" not found")) {
            return "the class is not in the jar that lists it";
        }
        if (message.endsWith(" not a subtype")) {
            return "the class does not implement " + Service.class.getName();
        }
        if (message.contains("could not be instantiated") && cause != error) {
            return "its constructor threw " + Failures.describeWithType(cause);
        }
        if (linkage instanceof LinkageError) {
            return "its class cannot be linked: " + Failures.describeWithType(linkage);
        }
        return Failures.describeWithType(cause);
    }

    /** Where {@code type} was loaded from, or where its class file would be found. */
    static String jarOf(Class<?> type, ClassLoader loader) {
        java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            return location(source.getLocation());
        }
        return jarOf(type.getName(), loader);
    }

    /**
     * Where {@code className} comes from: the jar holding its class file (class files are never
     * encapsulated, so this works for modules too), else the jar whose services file lists it.
     */
    static String jarOf(String className, ClassLoader loader) {
        if (!className.equals("?")) {
            URL classFile = loader.getResource(className.replace('.', '/') + ".class");
            if (classFile != null) {
                return location(classFile);
            }
            for (URL services : servicesFiles(loader)) {
                if (listed(services).contains(className)) {
                    return location(services);
                }
            }
        }
        return "an unknown jar";
    }

    private static Optional<String> namedIn(String message) {
        if (message == null) {
            return Optional.empty();
        }
        String text = message.startsWith(Service.class.getName() + ": ")
                ? message.substring(Service.class.getName().length() + 2) : message;
        Matcher m = NAMED.matcher(text);
        return m.find() && m.group(1).contains(".") ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * The listed provider that fails to load the way {@code error} did: one not yet seen if there
     * is one, else one already seen (the same failure met again).
     */
    private static Optional<String> culprit(LinkageError error, ClassLoader loader, Set<String> seen) {
        Optional<String> again = Optional.empty();
        for (URL services : servicesFiles(loader)) {
            for (String name : listed(services)) {
                if (again.isPresent() && seen.contains(name)) {
                    continue;
                }
                try {
                    Class.forName(name, false, loader);
                } catch (LinkageError failed) {
                    if (failed.getClass() == error.getClass()) {
                        if (!seen.contains(name)) {
                            return Optional.of(name);
                        }
                        again = Optional.of(name);
                    }
                } catch (ClassNotFoundException notThere) {
                    // ServiceLoader reports this one itself, by name.
                }
            }
        }
        return again;
    }

    private static List<URL> servicesFiles(ClassLoader loader) {
        try {
            return Collections.list(loader.getResources(SERVICES));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The class names a services file lists, as ServiceLoader reads them: '#' starts a comment. */
    private static Set<String> listed(URL services) {
        Set<String> names = new LinkedHashSet<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(services.openStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int comment = line.indexOf('#');
                String name = (comment >= 0 ? line.substring(0, comment) : line).strip();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            // An unreadable services file: ServiceLoader reports it.
        }
        return names;
    }

    /** The file a resource URL points into: {@code jar:file:/x/y.jar!/a/B.class} is /x/y.jar. */
    private static String location(URL resource) {
        String url = resource.toString();
        if (url.startsWith("jar:") && url.contains("!/")) {
            url = url.substring("jar:".length(), url.indexOf("!/"));
        }
        if (url.startsWith("file:")) {
            try {
                return java.nio.file.Path.of(java.net.URI.create(url)).toString();
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return url;
            }
        }
        return url;
    }
}
