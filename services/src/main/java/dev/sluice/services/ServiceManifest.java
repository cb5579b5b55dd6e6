package dev.sluice.services;

import dev.sluice.services.internal.manifest.ManifestParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A service's {@code service.yaml}: what to run (runtime and steps), for how long, how often to retry, and with which
 * environment and secrets. Example:
 *
 * <pre>
 * name: thumbnailer
 * runtime: python3
 * steps: [fetch.py, resize.py]
 * timeout: 5m
 * retries: {max: 2, backoff: 1s}
 * environment: {SIZE: "128"}
 * secrets: [S3_KEY]
 * </pre>
 *
 * @param runtime  {@code python3}, {@code bash}, {@code node}, or the name or absolute path of any executable; each step
 *                 runs as {@code runtime <step>}
 * @param steps    script paths relative to the service directory, run in order in one working directory
 * @param timeout  the limit for each step
 * @param schedule a cron expression, or null when the service has no schedule (validated by the trigger side)
 */
public record ServiceManifest(
    String name,
    String description,
    String runtime,
    List<String> steps,
    Duration timeout,
    RetryPolicy retries,
    int maxConcurrency,
    Map<String, String> environment,
    List<String> secrets,
    String schedule,
    boolean allowManual,
    boolean active) {

  public static final String FILE_NAME = "service.yaml";

  public ServiceManifest {
    steps = List.copyOf(steps);
    environment = Map.copyOf(environment);
    secrets = List.copyOf(secrets);
  }

  /** Parses and validates {@code service.yaml}; throws {@link ServiceException} naming the first bad field. */
  public static ServiceManifest parse(byte[] yaml) {
    return ManifestParser.parse(yaml);
  }
}
