package io.gridsync.server;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written reader and writer of tracking calls' times must say exactly what java.time says:
 * the same instant for every text java.time reads, and a refusal for every text it refuses.
 */
class IsoTimesTest {

    private static final long SEED = 20261206L;

    @Test
    void readsWhatJavaTimeReadsAndRefusesWhatItRefuses() {
        List<String> texts = new ArrayList<>(List.of(
                "2024-05-01T10:00:00.000Z", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00.1Z", "2024-05-01T10:00:00.123456789Z",
                "2024-05-01T10:00:00.1234567891Z", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00+02:00",
                "2024-05-01T10:00:00.5-07:30", "2024-05-01T10:00:00+18:00", "2024-05-01T10:00:00+18:01",
                "2024-05-01T10:00:00+19:00", "2024-05-01T10:00:00+0200", "2024-05-01T10:00:00+02", "2024-05-01T10:00:00+02:00:30",
                "2024-05-01t10:00:00Z", "2024-05-01T10:00:00z", "2024-05-01T24:00:00Z", "2024-05-01T23:60:00Z",
                "2024-05-01T23:59:60Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                "2000-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z",
                "2024-01-00T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z",
                "-0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.9991Z", "2024-05-01T10:00Z",
                "2024-05-01 10:00:00Z", "2024-05-01T10:00:00", "2024-05-01", "", "yesterday", "2024-05-01T10:00:00.000Zjunk",
                "2024-0a-01T10:00:00Z", "2024-05-01T10:00:00.12a4Z", "2024-05-01T10:00:00-00:00", "2024-05-01T10:00:00.000+00:00"));
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            texts.add(randomText(random));
        }
        for (String text : texts) {
            assertThat(IsoTimes.millis(text)).as(text).isEqualTo(javaTime(text));
        }
    }

    @Test
    void writesWhatInstantToStringAndTheWarehousesPatternWrite() {
        Random random = new Random(SEED);
        List<Long> millis = new ArrayList<>(List.of(0L, -1L, 1L, 999L, 1000L, -1000L, -1001L, 1_714_557_600_000L,
                1_714_557_600_100L, -62_167_219_200_000L, -62_167_219_200_001L, 253_402_300_799_999L, 253_402_300_800_000L,
                Long.MAX_VALUE / 4, Long.MIN_VALUE / 4));
        for (int i = 0; i < 20_000; i++) {
            millis.add(random.nextLong() % 400_000_000_000_000L);
            millis.add(1_700_000_000_000L + random.nextInt(1_000_000_000));
        }
        java.time.format.DateTimeFormatter withMillis = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        for (long m : millis) {
            assertThat(IsoTimes.format(m)).as("%d", m).isEqualTo(Instant.ofEpochMilli(m).toString());
            Instant i = Instant.ofEpochMilli(m).plusNanos(Math.floorMod(m, 1_000_000)); // sub-millisecond digits are cut
            assertThat(IsoTimes.formatWithMillis(i)).as("%s", i).isEqualTo(withMillis.format(i));
        }
    }

    private static long javaTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return IsoTimes.INVALID;
        }
    }

    /** Mostly well-formed times around today in many offsets and precisions, some with one character broken. */
    private static String randomText(Random random) {
        long seconds = 1_700_000_000L + (long) (random.nextGaussian() * 3e9);
        int nanos = random.nextInt(1_000_000_000);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);
        String text = OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, random.nextInt(4) == 0 ? 0 : nanos), offset).toString();
        if (random.nextInt(5) == 0) {
            char[] chars = text.toCharArray();
            chars[random.nextInt(chars.length)] = "0123456789:-+.TZtz x".charAt(random.nextInt(20));
            text = new String(chars);
        }
        return text;
    }
}
