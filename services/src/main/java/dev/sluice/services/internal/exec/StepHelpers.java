package dev.sluice.services.internal.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The helper files every working directory gets: {@code sluice.sh} for bash steps, {@code sluice.py} for Python. */
public final class StepHelpers {
  public static final String BASH = "sluice.sh";
  public static final String PYTHON = "sluice.py";
  public static final String EVENT = "event.json";
  /** Names the executor writes into the working directory, so a package may not contain them. */
  public static final List<String> RESERVED = List.of(BASH, PYTHON, EVENT);
  private static final byte[] BASH_TEXT = load(BASH);
  private static final byte[] PYTHON_TEXT = load(PYTHON);

  private StepHelpers() {}

  static void writeInto(Path workDir) throws IOException {
    Files.write(workDir.resolve(BASH), BASH_TEXT);
    Files.write(workDir.resolve(PYTHON), PYTHON_TEXT);
  }

  private static byte[] load(String name) {
    try (InputStream in = StepHelpers.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
