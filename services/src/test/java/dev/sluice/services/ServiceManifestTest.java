package dev.sluice.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceManifestTest {
  private static ServiceManifest parse(String yaml) {
    return ServiceManifest.parse(yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void minimalManifestGetsDefaults() {
    ServiceManifest manifest = parse("name: hello\nruntime: bash\nsteps: [run.sh]\n");

    assertThat(manifest.name()).isEqualTo("hello");
    assertThat(manifest.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(manifest.retries()).isEqualTo(RetryPolicy.NONE);
    assertThat(manifest.maxConcurrency()).isEqualTo(1);
    assertThat(manifest.allowManual()).isTrue();
    assertThat(manifest.active()).isTrue();
    assertThat(manifest.schedule()).isNull();
    assertThat(manifest.environment()).isEmpty();
    assertThat(manifest.secrets()).isEmpty();
  }

  @Test
  void fullManifestIsRead() {
    ServiceManifest manifest = parse("""
        name: thumbnailer.v2
        description: makes thumbnails
        runtime: /usr/bin/python3
        steps: [fetch.py, lib/resize.py]
        timeout: PT2M
        retries: {max: 3, backoff: 500ms, maxBackoff: 4s}
        maxConcurrency: 4
        environment: {SIZE: 128, MODE: fast}
        secrets: [S3_KEY]
        schedule: "*/5 * * * *"
        allowManual: false
        active: false
        """);

    assertThat(manifest.steps()).containsExactly("fetch.py", "lib/resize.py");
    assertThat(manifest.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(manifest.retries()).isEqualTo(new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(4)));
    assertThat(manifest.environment()).isEqualTo(Map.of("SIZE", "128", "MODE", "fast"));
    assertThat(manifest.secrets()).containsExactly("S3_KEY");
    assertThat(manifest.schedule()).isEqualTo("*/5 * * * *");
    assertThat(manifest.allowManual()).isFalse();
    assertThat(manifest.active()).isFalse();
  }

  @Test
  void backoffDoublesUpToItsMaximum() {
    RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(5));

    assertThat(policy.delayBefore(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofSeconds(5));
    assertThat(policy.delayBefore(60)).isEqualTo(Duration.ofSeconds(5));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      missing name         | runtime: bash\\nsteps: [a.sh]                              | name: is required
      bad name             | name: Hello World\\nruntime: bash\\nsteps: [a.sh]          | name: 'Hello World'
      long name            | name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\nruntime: bash\\nsteps: [a.sh] | must be 1-100 characters
      missing runtime      | name: a\\nsteps: [a.sh]                                    | runtime: is required
      relative runtime     | name: a\\nruntime: bin/py\\nsteps: [a.sh]                  | runtime: 'bin/py'
      missing steps        | name: a\\nruntime: bash                                    | steps: is required
      empty steps          | name: a\\nruntime: bash\\nsteps: []                        | steps: must be a non-empty list
      escaping step        | name: a\\nruntime: bash\\nsteps: [a.sh, ../b.sh]           | steps[1]: '../b.sh' must be a relative path
      absolute step        | name: a\\nruntime: bash\\nsteps: [/etc/passwd]             | steps[0]: '/etc/passwd'
      bad timeout          | name: a\\nruntime: bash\\nsteps: [a.sh]\\ntimeout: 5 minutes | timeout: '5 minutes' is not a duration like 30s, 5m or PT1M
      numeric timeout      | name: a\\nruntime: bash\\nsteps: [a.sh]\\ntimeout: 30       | timeout: '30' is not a duration
      zero timeout         | name: a\\nruntime: bash\\nsteps: [a.sh]\\ntimeout: 0s       | timeout: must be positive
      negative retries     | name: a\\nruntime: bash\\nsteps: [a.sh]\\nretries: {max: -1} | retries.max: must be between 0 and 100
      bad backoff          | name: a\\nruntime: bash\\nsteps: [a.sh]\\nretries: {backoff: soon} | retries.backoff: 'soon'
      unknown retry key    | name: a\\nruntime: bash\\nsteps: [a.sh]\\nretries: {tries: 2} | unknown field retries.tries
      zero concurrency     | name: a\\nruntime: bash\\nsteps: [a.sh]\\nmaxConcurrency: 0 | maxConcurrency: must be between 1 and 1000
      text concurrency     | name: a\\nruntime: bash\\nsteps: [a.sh]\\nmaxConcurrency: two | maxConcurrency: 'two' is not a whole number
      bad env name         | name: a\\nruntime: bash\\nsteps: [a.sh]\\nenvironment: {1X: y} | environment.1X: '1X' is not an environment variable name
      reserved env name    | name: a\\nruntime: bash\\nsteps: [a.sh]\\nenvironment: {CE_TYPE: y} | environment.CE_TYPE: 'CE_TYPE' uses a reserved prefix
      nested env value     | name: a\\nruntime: bash\\nsteps: [a.sh]\\nenvironment: {X: [1]} | environment.X: must be a string
      duplicate secret     | name: a\\nruntime: bash\\nsteps: [a.sh]\\nsecrets: [K, K]  | secrets[1]: 'K' is listed twice
      reserved secret      | name: a\\nruntime: bash\\nsteps: [a.sh]\\nsecrets: [SLUICE_X] | secrets[0]: 'SLUICE_X' uses a reserved prefix
      empty schedule       | name: a\\nruntime: bash\\nsteps: [a.sh]\\nschedule: ''     | schedule: must be a cron expression
      bad boolean          | name: a\\nruntime: bash\\nsteps: [a.sh]\\nactive: maybe    | active: 'maybe' is not true or false
      unknown keys         | name: a\\nruntime: bash\\nsteps: [a.sh]\\nstep: [b.sh]\\ntimout: 1s | unknown fields step, timout
      not a mapping        | - a\\n- b                                                  | must be a mapping
      not yaml             | 'name: [unclosed                                          | not valid YAML
      """)
  void invalidManifestIsRefusedNamingTheField(String caseName, String yaml, String expectedMessage) {
    assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining(expectedMessage);
  }
}
