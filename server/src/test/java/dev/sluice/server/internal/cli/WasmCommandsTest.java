package dev.sluice.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.internal.cli.CliRunner.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code sluice wasm ...} against a real node, with the smallest valid module: the 8-byte header of an empty one. */
@Timeout(60)
class WasmCommandsTest extends LiveSluiceTest {
    private static final byte[] EMPTY_MODULE = {0, 'a', 's', 'm', 1, 0, 0, 0};
    private static final Pattern UPLOADED = Pattern.compile("uploaded wasm module ([0-9a-f]+) \\(8 bytes\\)\n");

    @Test
    void uploadListAndDelete() throws Exception {
        Files.write(dir.resolve("empty.wasm"), EMPTY_MODULE);
        assertThat(cli.run("wasm", "list").out()).isEqualTo("no wasm modules\n");

        Result uploaded = cli.run("wasm", "upload", "empty.wasm");

        assertThat(uploaded.exit()).as(uploaded.err()).isZero();
        Matcher matcher = UPLOADED.matcher(uploaded.out());
        assertThat(matcher.matches()).as(uploaded.out()).isTrue();
        String id = matcher.group(1);
        Result listed = cli.run("wasm", "list");
        assertThat(listed.out()).isEqualTo("MODULE" + " ".repeat(id.length() - 4) + "BYTES\n" + id + "      8\n");

        Result again = cli.runWithInput(new String(EMPTY_MODULE, StandardCharsets.US_ASCII), "wasm", "upload", "-");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).as("the id comes from the bytes").isEqualTo(uploaded.out());
        assertThat(cli.run("wasm", "list").out()).hasLineCount(2);

        Result deleted = cli.run("wasm", "delete", id);
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.out()).isEqualTo("deleted wasm module " + id + "\n");
        assertThat(cli.run("wasm", "list").out()).isEqualTo("no wasm modules\n");

        Result gone = cli.run("wasm", "delete", id);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("sluice: wasm module '" + id + "' does not exist (HTTP 404)\n");
    }

    @Test
    void aFileThatIsNotAModuleIsRefusedByTheServer() throws Exception {
        Files.writeString(dir.resolve("module.wat"), "(module)\n");

        Result result = cli.run("wasm", "upload", "module.wat");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("sluice: the body is not a WebAssembly binary module (it must start with "
                + "\\0asm); compile text (.wat) modules first, e.g. with wat2wasm (HTTP 400)\n");
    }
}
