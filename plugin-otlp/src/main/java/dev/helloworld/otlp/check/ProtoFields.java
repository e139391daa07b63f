package dev.helloworld.otlp.check;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the two small protobuf messages a collector answers with, without a protobuf library:
 * the partial success of an {@code Export*ServiceResponse} and the message of a
 * {@code google.rpc.Status}. Nothing else of the wire format is needed.
 */
final class ProtoFields {

    /**
     * What an {@code Export*ServiceResponse}'s {@code partial_success} (field 1) says: its
     * {@code rejected_*} count (field 1) and {@code error_message} (field 2).
     */
    record PartialSuccess(long rejected, String message) {}

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final byte[] bytes;
    private int at;

    private ProtoFields(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The partial success of a response body; empty when it has none or is not protobuf. */
    static Optional<PartialSuccess> partialSuccess(byte[] response) {
        try {
            Optional<byte[]> field = new ProtoFields(response).bytesOf(1);
            if (field.isEmpty()) {
                return Optional.empty();
            }
            ProtoFields partial = new ProtoFields(field.get());
            long rejected = partial.varintOf(1);
            String message = new ProtoFields(field.get()).bytesOf(2)
                    .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
            return Optional.of(new PartialSuccess(rejected, message));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The message (field 2) of a {@code google.rpc.Status} body; empty when it is not one. */
    static Optional<String> statusMessage(byte[] body) {
        try {
            return new ProtoFields(body).bytesOf(2).map(b -> new String(b, StandardCharsets.UTF_8))
                    .filter(ProtoFields::printable);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean printable(String text) {
        return !text.isBlank() && text.chars().allMatch(c -> c >= 0x20 && c != 0x7f || c == '\n' || c == '\t' || c == '\r');
    }

    /** The last value of length-delimited field {@code number}, as protobuf merges repeats. */
    private Optional<byte[]> bytesOf(int number) {
        byte[] found = null;
        while (at < bytes.length) {
            long tag = varint();
            int wire = (int) (tag & 7);
            if (tag >>> 3 == number && wire == LENGTH_DELIMITED) {
                int length = length();
                found = Arrays.copyOfRange(bytes, at, at + length);
                at += length;
            } else {
                skip(wire);
            }
        }
        return Optional.ofNullable(found);
    }

    private long varintOf(int number) {
        long found = 0;
        while (at < bytes.length) {
            long tag = varint();
            int wire = (int) (tag & 7);
            if (tag >>> 3 == number && wire == VARINT) {
                found = varint();
            } else {
                skip(wire);
            }
        }
        return found;
    }

    private void skip(int wire) {
        switch (wire) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw new IllegalArgumentException("wire type " + wire);
        }
    }

    private int length() {
        long length = varint();
        if (length < 0 || length > bytes.length - at) {
            throw new IllegalArgumentException("length " + length);
        }
        return (int) length;
    }

    private void advance(int n) {
        if (n > bytes.length - at) {
            throw new IllegalArgumentException("truncated");
        }
        at += n;
    }

    private long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at >= bytes.length) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte b = bytes[at++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
