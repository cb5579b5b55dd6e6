package dev.sluice.sinks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import dev.sluice.mapping.ColumnType;
import dev.sluice.sinks.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SliceFileTest {
    private final ExecutorService compressor = Executors.newSingleThreadExecutor();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        compressor.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "gzip"})
    void rowsHandedToTheCompressorInBatchesComeOutAsOneCsvInOrder(String compression) throws IOException {
        List<Target.Column> columns = List.of(new Target.Column("id", ColumnType.LONG),
                new Target.Column("text", ColumnType.STRING));
        int rows = SliceFile.BATCH * (SliceFile.IN_FLIGHT + 3) + 17;
        Path path = dir.resolve("slice.csv." + compression);
        StringBuilder expected = new StringBuilder("id,text\n");
        SliceFile slice = new SliceFile(path, columns, compression, 0, compressor);
        for (int i = 0; i < rows; i++) {
            String text = i % 5 == 0 ? "" : i % 7 == 0 ? "say \"hi\",twice" : "row-" + i;
            slice.write(new String[] {Long.toString(i), text});
            expected.append(i).append(',').append(text.isEmpty() ? "\"\""
                    : text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text).append('\n');
        }
        assertThat(slice.records()).isEqualTo(rows);
        slice.close();

        try (InputStream raw = Files.newInputStream(path);
             InputStream in = compression.equals("zstd") ? new ZstdInputStream(raw) : new GZIPInputStream(raw)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        }
        assertThat(slice.checksum()).isEqualTo(SliceFile.checksumOf(path));
        assertThat(slice.bytes()).isEqualTo(Files.size(path));
    }
}
