package dev.sluice.services.internal.manifest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.services.RetryPolicy;
import dev.sluice.services.ServiceException;
import dev.sluice.services.ServiceManifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@code service.yaml} into a {@link ServiceManifest}. Reads a tree rather than binding to a class so that every
 * refusal names the field the author has to fix, and unknown keys (usually typos) are refused rather than ignored.
 */
public final class ManifestParser {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,100}");
  private static final Pattern RUNTIME_NAME = Pattern.compile("[A-Za-z0-9._+-]{1,100}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Set<String> KEYS = Set.of("name", "description", "runtime", "steps", "timeout", "retries",
      "maxConcurrency", "environment", "secrets", "schedule", "allowManual", "active");
  private static final Set<String> RETRY_KEYS = Set.of("max", "backoff", "maxBackoff");
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_RETRIES = 100;
  private static final int MAX_CONCURRENCY = 1000;

  private ManifestParser() {}

  public static ServiceManifest parse(byte[] yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new ServiceException("service.yaml is not valid YAML: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new ServiceException("service.yaml could not be read", e);
    }
    if (!(root instanceof ObjectNode object)) throw new ServiceException("service.yaml must be a mapping of fields");
    refuseUnknownKeys(object, KEYS, "");

    String name = requiredText(object, "name");
    if (!NAME.matcher(name).matches()) {
      throw new ServiceException("name: '" + name + "' must be 1-100 characters of a-z, 0-9, '.', '_' or '-'");
    }
    String runtime = requiredText(object, "runtime");
    boolean validRuntime = runtime.startsWith("/") ? !runtime.contains("..") && !runtime.matches(".*\\s.*")
        : RUNTIME_NAME.matcher(runtime).matches();
    if (!validRuntime) {
      throw new ServiceException("runtime: '" + runtime + "' is not python3, bash, node, or an executable's name or "
          + "absolute path");
    }
    return new ServiceManifest(
        name,
        optionalText(object, "description", ""),
        runtime,
        steps(object.get("steps")),
        duration(object.get("timeout"), "timeout", DEFAULT_TIMEOUT),
        retries(object.get("retries")),
        integer(object.get("maxConcurrency"), "maxConcurrency", 1, 1, MAX_CONCURRENCY),
        environment(object.get("environment")),
        secrets(object.get("secrets")),
        schedule(object.get("schedule")),
        bool(object.get("allowManual"), "allowManual", true),
        bool(object.get("active"), "active", true));
  }

  private static void refuseUnknownKeys(ObjectNode object, Set<String> known, String prefix) {
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (!known.contains(key)) unknown.add(prefix + key);
    }
    if (!unknown.isEmpty()) {
      throw new ServiceException("unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
    }
  }

  private static String requiredText(ObjectNode object, String field) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) throw new ServiceException(field + ": is required");
    if (!node.isTextual() || node.asText().isBlank()) throw new ServiceException(field + ": must be a non-empty string");
    return node.asText().trim();
  }

  private static String optionalText(ObjectNode object, String field, String fallback) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) return fallback;
    if (!node.isValueNode()) throw new ServiceException(field + ": must be a string");
    return node.asText();
  }

  private static List<String> steps(JsonNode node) {
    if (node == null || node.isNull()) throw new ServiceException("steps: is required (a list of script files)");
    if (!node.isArray() || node.isEmpty()) throw new ServiceException("steps: must be a non-empty list of script files");
    List<String> steps = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode step = node.get(i);
      String field = "steps[" + i + "]";
      if (!step.isTextual() || step.asText().isBlank()) throw new ServiceException(field + ": must be a file name");
      String path = step.asText().trim();
      if (!PackagePaths.isSafeRelative(path)) {
        throw new ServiceException(field + ": '" + path + "' must be a relative path inside the package");
      }
      steps.add(path);
    }
    return steps;
  }

  private static Duration duration(JsonNode node, String field, Duration fallback) {
    if (node == null || node.isNull()) return fallback;
    Duration parsed = node.isTextual() ? DurationText.parseOrNull(node.asText()) : null;
    if (parsed == null) {
      throw new ServiceException(field + ": '" + node.asText() + "' is not a duration like 30s, 5m or PT1M");
    }
    if (parsed.isNegative() || parsed.isZero()) throw new ServiceException(field + ": must be positive");
    return parsed;
  }

  private static int integer(JsonNode node, String field, int fallback, int min, int max) {
    if (node == null || node.isNull()) return fallback;
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new ServiceException(field + ": '" + node.asText() + "' is not a whole number");
    }
    int value = node.intValue();
    if (value < min || value > max) throw new ServiceException(field + ": must be between " + min + " and " + max);
    return value;
  }

  private static boolean bool(JsonNode node, String field, boolean fallback) {
    if (node == null || node.isNull()) return fallback;
    if (!node.isBoolean()) throw new ServiceException(field + ": '" + node.asText() + "' is not true or false");
    return node.booleanValue();
  }

  private static RetryPolicy retries(JsonNode node) {
    if (node == null || node.isNull()) return RetryPolicy.NONE;
    if (!(node instanceof ObjectNode object)) {
      throw new ServiceException("retries: must be a mapping like {max: 3, backoff: 1s}");
    }
    refuseUnknownKeys(object, RETRY_KEYS, "retries.");
    return new RetryPolicy(
        integer(object.get("max"), "retries.max", 0, 0, MAX_RETRIES),
        duration(object.get("backoff"), "retries.backoff", RetryPolicy.NONE.backoff()),
        duration(object.get("maxBackoff"), "retries.maxBackoff", RetryPolicy.NONE.maxBackoff()));
  }

  private static Map<String, String> environment(JsonNode node) {
    if (node == null || node.isNull()) return Map.of();
    if (!node.isObject()) throw new ServiceException("environment: must be a mapping of NAME: value");
    Map<String, String> environment = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      checkVariableName(key, "environment." + key);
      if (!field.getValue().isValueNode() || field.getValue().isNull()) {
        throw new ServiceException("environment." + key + ": must be a string, number or boolean");
      }
      environment.put(key, field.getValue().asText());
    }
    return environment;
  }

  private static List<String> secrets(JsonNode node) {
    if (node == null || node.isNull()) return List.of();
    if (!node.isArray()) throw new ServiceException("secrets: must be a list of secret names");
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String field = "secrets[" + i + "]";
      if (!node.get(i).isTextual()) throw new ServiceException(field + ": must be a secret name");
      String name = node.get(i).asText();
      checkVariableName(name, field);
      if (!names.add(name)) throw new ServiceException(field + ": '" + name + "' is listed twice");
    }
    return List.copyOf(names);
  }

  /** Environment and secret names become variables; the CE_ and SLUICE_ prefixes are the executor's. */
  private static void checkVariableName(String name, String field) {
    if (!ENV_NAME.matcher(name).matches()) {
      throw new ServiceException(field + ": '" + name + "' is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
    }
    if (name.startsWith("CE_") || name.startsWith("SLUICE_")) {
      throw new ServiceException(field + ": '" + name + "' uses a reserved prefix (CE_, SLUICE_)");
    }
  }

  private static String schedule(JsonNode node) {
    if (node == null || node.isNull()) return null;
    if (!node.isTextual() || node.asText().isBlank()) throw new ServiceException("schedule: must be a cron expression");
    return node.asText().trim();
  }
}
