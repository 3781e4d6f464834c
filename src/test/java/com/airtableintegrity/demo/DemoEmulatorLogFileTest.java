package com.airtableintegrity.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo emulator's log file cannot be a file someone else planted in the temp directory. */
class DemoEmulatorLogFileTest {

    @Test
    void aSymlinkPlantedAtTheOldPredictableNameIsNeitherFollowedNorUsed(@TempDir Path dir) throws Exception {
        int port = 40_123;
        Path victim = Files.writeString(dir.resolve("victim"), "keep me");
        Path planted = Path.of(System.getProperty("java.io.tmpdir"), "airtable-integrity-demo-firestore-" + port + ".log");
        Files.deleteIfExists(planted);
        Files.createSymbolicLink(planted, victim);
        try {
            Path log = DemoEmulator.newLogFile(port);
            try {
                assertThat(log).isNotEqualTo(planted).isRegularFile().isEmptyFile();
                assertThat(Files.isSymbolicLink(log)).isFalse();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
                assertThat(Files.readString(victim)).isEqualTo("keep me");
            } finally {
                Files.deleteIfExists(log);
            }
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    @Test
    void twoLogFilesForTheSamePortAreTwoFiles() throws Exception {
        Path first = DemoEmulator.newLogFile(40_124);
        Path second = DemoEmulator.newLogFile(40_124);
        try {
            assertThat(first).isNotEqualTo(second);
        } finally {
            Files.deleteIfExists(first);
            Files.deleteIfExists(second);
        }
    }
}
