package com.airtableintegrity.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.google.cloud.firestore.Blob;

/**
 * The lists of an issue-state document, each packed into one Firestore bytes value: unsigned varints, and strings as
 * a varint byte length then their UTF-8 bytes. Why not Firestore arrays: Firestore indexes every array element (for
 * {@code array-contains}) and allows a document at most 40,000 index entries, which a 512 KB document of ~20,000
 * record ids and as many first-seen indexes would exceed; and a value per entry costs the client and the server
 * (the emulator above all) per value on every write and read. A bytes value is one index entry and one value.
 * Written by hand: no library in the build does length-prefixed strings and varints into a {@link Blob}, and the
 * format is a few lines.
 */
final class StateCodec {
    private StateCodec() {
    }

    /** Bytes a varint of {@code value} takes. */
    static int varintSize(long value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    /** Bytes a string takes: its length, then its UTF-8 bytes. */
    static int stringSize(String s) {
        int length = s.getBytes(StandardCharsets.UTF_8).length;
        return varintSize(length) + length;
    }

    /** Bytes an instant takes: its epoch seconds and its nanoseconds. */
    static int instantSize(Instant at) {
        return varintSize(at.getEpochSecond()) + varintSize(at.getNano());
    }

    /** Builds one bytes value. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer varint(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative varint " + value);
            }
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
            return this;
        }

        Writer string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            varint(bytes.length);
            out.write(bytes, 0, bytes.length);
            return this;
        }

        Writer instant(Instant at) {
            return varint(at.getEpochSecond()).varint(at.getNano());
        }

        Blob blob() {
            return Blob.fromBytes(out.toByteArray());
        }
    }

    /** Reads one bytes value back; anything it cannot read is an {@link IllegalArgumentException} saying what. */
    static final class Reader {
        private final String name;
        private final byte[] bytes;
        private int position;

        /** {@code name}: the field, for the messages. */
        Reader(String name, Blob blob) {
            this.name = name;
            this.bytes = blob.toBytes();
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= bytes.length) {
                    throw new IllegalArgumentException(name + " ends inside a number");
                }
                int b = bytes[position++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException(name + " holds a number longer than 64 bits");
        }

        String string() {
            long length = varint();
            if (length < 0 || length > bytes.length - position) { // negative: a 64-bit varint with its top bit set
                throw new IllegalArgumentException(name + " ends inside a string");
            }
            String s = new String(bytes, position, (int) length, StandardCharsets.UTF_8);
            position += (int) length;
            return s;
        }

        Instant instant() {
            long seconds = varint();
            long nanos = varint();
            if (nanos > 999_999_999L) {
                throw new IllegalArgumentException(name + " holds a time with " + nanos + " nanoseconds");
            }
            try {
                return Instant.ofEpochSecond(seconds, nanos);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException(name + " holds a time out of range");
            }
        }

        /** Checks that everything was read. */
        void end() {
            if (position != bytes.length) {
                throw new IllegalArgumentException(name + " has " + (bytes.length - position)
                        + " bytes more than it says");
            }
        }
    }
}
