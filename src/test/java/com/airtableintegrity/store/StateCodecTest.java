package com.airtableintegrity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.google.cloud.firestore.Blob;

class StateCodecTest {

    @Test
    void stringsNumbersAndTimesReadBackAsWrittenAndTakeTheSizesTheySay() {
        Instant at = Instant.parse("2026-12-07T19:41:58.123456Z");
        Blob blob = new StateCodec.Writer().string("recC0000000000001").varint(0).varint(300).varint(Long.MAX_VALUE)
                .string("Zoë").instant(at).blob();

        StateCodec.Reader reader = new StateCodec.Reader("records", blob);
        assertThat(reader.string()).isEqualTo("recC0000000000001");
        assertThat(reader.varint()).isZero();
        assertThat(reader.varint()).isEqualTo(300);
        assertThat(reader.varint()).isEqualTo(Long.MAX_VALUE);
        assertThat(reader.string()).isEqualTo("Zoë");
        assertThat(reader.instant()).isEqualTo(at);
        reader.end();
        assertThat(blob.toBytes()).hasSize(StateCodec.stringSize("recC0000000000001") + 1 + 2 + 9
                + StateCodec.stringSize("Zoë") + StateCodec.instantSize(at));
        assertThat(StateCodec.stringSize("Zoë")).isEqualTo(5);
    }

    @Test
    void aValueCutShortIsRefusedNamingItsField() {
        byte[] bytes = new StateCodec.Writer().string("recC0000000000001").blob().toBytes();
        Blob cut = Blob.fromBytes(Arrays.copyOf(bytes, bytes.length - 1));

        assertThatThrownBy(() -> new StateCodec.Reader("records", cut).string())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("records ends inside a string");
        assertThatThrownBy(() -> new StateCodec.Reader("first_seen", Blob.fromBytes(new byte[] {(byte) 0x80})).varint())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("first_seen ends inside a number");
    }

    @Test
    void aStringLengthOutsideTheValueIsRefusedEvenWhenItReadsAsNegative() {
        byte[] bytes = new StateCodec.Writer().varint(Long.MAX_VALUE).blob().toBytes(); // 63 bits in 9 bytes
        // a 10th byte sets the 64th bit: the length reads as -1
        byte[] withTopBit = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        withTopBit[bytes.length - 1] |= (byte) 0x80;
        withTopBit[bytes.length] = 0x01;

        assertThatThrownBy(() -> new StateCodec.Reader("records", Blob.fromBytes(withTopBit)).string())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("records ends inside a string");
    }

    @Test
    void bytesLeftOverAreRefused() {
        StateCodec.Reader reader = new StateCodec.Reader("first_seen", new StateCodec.Writer().varint(1).varint(2).blob());
        reader.varint();

        assertThatThrownBy(reader::end).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("first_seen has 1 bytes more than it says");
    }
}
