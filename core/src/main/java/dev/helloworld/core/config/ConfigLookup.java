package dev.helloworld.core.config;

/** Reads a typed value: what {@link Config} offers, and what a computed default sees of the other keys. */
public interface ConfigLookup {
    <T> T get(ConfigKey<T> key);
}
