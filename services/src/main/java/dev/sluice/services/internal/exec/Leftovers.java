package dev.sluice.services.internal.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a killed JVM's runs left behind: step process groups still running and run directories. Linux only (reads
 * {@code /proc}); elsewhere only the directories are deleted.
 */
final class Leftovers {
  private Leftovers() {}

  static int reap(Path runsDir) {
    if (!Files.isDirectory(runsDir)) return 0;
    Map<Long, String> groups = new HashMap<>();
    try (DirectoryStream<Path> runs = Files.newDirectoryStream(runsDir)) {
      for (Path run : runs) {
        if (!Files.isDirectory(run)) continue;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(run, "*.pgid")) {
          for (Path file : files) {
            try {
              groups.put(Long.parseLong(Files.readString(file).trim()), run.getFileName().toString());
            } catch (NumberFormatException e) {
              // A torn write: the step had barely started; nothing of it can be found by this id.
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int killed = 0;
    if (!groups.isEmpty() && Files.isDirectory(Path.of("/proc"))) {
      for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
        String runId = groups.get(processGroup(process.pid()));
        if (runId != null && environmentHas(process.pid(), "SLUICE_RUN_ID=" + runId)) {
          if (process.destroyForcibly()) killed++;
        }
      }
    }
    try (Stream<Path> walk = Files.walk(runsDir)) {
      walk.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(runsDir))
          .forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Leftover files cost disk, not correctness.
    }
    return killed;
  }

  /** The process group from {@code /proc/<pid>/stat} (the field after the state, after the parenthesised name). */
  private static long processGroup(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static boolean environmentHas(long pid, String entry) {
    try {
      byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
      for (String variable : new String(environ, StandardCharsets.UTF_8).split("\0")) {
        if (variable.equals(entry)) return true;
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
