package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.broker.BrokerConfig;
import dev.sluice.broker.KafkaBroker;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.SluiceHttp;
import dev.sluice.log.LogConfig;
import dev.sluice.log.LogManager;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shell script drives the REST API and an HTTP source with curl (src/test/scripts/rest-with-curl.sh). */
class CurlScriptTest {
    @TempDir
    Path dir;

    @Test
    void theRestApiWorksFromAShellScriptWithCurl() throws Exception {
        ExternalTool.require("curl", "apt-get install curl");
        try (LogManager logs = LogManager.open(dir, LogConfig.defaults());
             KafkaBroker broker = KafkaBroker.start(BrokerConfig.of(new InetSocketAddress("127.0.0.1", 0),
                     logs.defaults()), logs);
             SluiceHttp http = SluiceHttp.start(HttpConfig.of(new InetSocketAddress("127.0.0.1", 0),
                     broker.bootstrapServers()))) {
            ExternalTool.Result result = ExternalTool.run(List.of("bash", "src/test/scripts/rest-with-curl.sh",
                    http.url()), null, Duration.ofSeconds(120), null);
            assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
            assertThat(result.stdout()).contains("OK");
        }
    }
}
