package dev.sluice.services.internal.manifest;

/** Which file names may appear in a service package: relative, forward-slashed, never climbing out of it. */
public final class PackagePaths {
  private PackagePaths() {}

  public static boolean isSafeRelative(String path) {
    if (path.isEmpty() || path.length() > 500 || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
      return false;
    }
    if (path.length() > 1 && path.charAt(1) == ':') return false; // a Windows drive letter
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) return false;
    }
    return true;
  }
}
