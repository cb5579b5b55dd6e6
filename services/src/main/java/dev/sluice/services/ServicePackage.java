package dev.sluice.services;

import dev.sluice.services.internal.exec.StepHelpers;
import dev.sluice.services.internal.manifest.PackageArchive;
import dev.sluice.services.internal.manifest.PackageArchive.PackageFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;

/**
 * One deployable version of a service: its files as a deterministic zip, the parsed manifest, and a version id (the
 * first 12 hex digits of the zip's SHA-256), so the same directory always deploys as the same version. Example:
 *
 * <pre>
 * ServicePackage pkg = ServicePackage.fromDirectory(Path.of("thumbnailer"));
 * store(pkg.manifest().name(), pkg.version(), pkg.zip());
 * ServicePackage same = ServicePackage.fromZip(loaded);
 * </pre>
 *
 * <p>Limits: 10 MiB unpacked, 1000 files, no symbolic links, no paths that leave the package. Immutable.
 */
public final class ServicePackage {
  private final byte[] zip;
  private final String version;
  private final ServiceManifest manifest;
  private final SortedMap<String, PackageFile> files;

  private ServicePackage(byte[] zip, SortedMap<String, PackageFile> files) {
    this.zip = zip;
    this.files = files;
    this.version = versionOf(zip);
    for (String reserved : StepHelpers.RESERVED) {
      if (files.containsKey(reserved)) throw new ServiceException("'" + reserved + "' is reserved for Sluice's helpers");
    }
    PackageFile yaml = files.get(ServiceManifest.FILE_NAME);
    if (yaml == null) throw new ServiceException("package has no " + ServiceManifest.FILE_NAME);
    this.manifest = ServiceManifest.parse(yaml.content());
    for (int i = 0; i < manifest.steps().size(); i++) {
      String step = manifest.steps().get(i);
      if (!files.containsKey(step)) throw new ServiceException("steps[" + i + "]: '" + step + "' is not in the package");
    }
  }

  /** Packages a service directory: {@code service.yaml} plus every file under it. */
  public static ServicePackage fromDirectory(Path dir) {
    if (!Files.isRegularFile(dir.resolve(ServiceManifest.FILE_NAME), LinkOption.NOFOLLOW_LINKS)) {
      throw new ServiceException(dir + " has no " + ServiceManifest.FILE_NAME);
    }
    SortedMap<String, PackageFile> files = PackageArchive.readDirectory(dir);
    return new ServicePackage(PackageArchive.write(files), files);
  }

  /** A package from its stored zip bytes, validated as strictly as a directory. */
  public static ServicePackage fromZip(byte[] zip) {
    byte[] copy = zip.clone();
    return new ServicePackage(copy, PackageArchive.read(copy));
  }

  public byte[] zip() {
    return zip.clone();
  }

  public String version() {
    return version;
  }

  public ServiceManifest manifest() {
    return manifest;
  }

  /** The package's file names, sorted. */
  public java.util.Set<String> fileNames() {
    return files.keySet();
  }

  /**
   * Writes the package's files into {@code dir}, which must be empty or absent. Files are created new (never through
   * an existing link) and keep their exec bit.
   */
  public void unpackInto(Path dir) {
    try {
      Files.createDirectories(dir);
      try (var existing = Files.list(dir)) {
        if (existing.findAny().isPresent()) throw new ServiceException(dir + " is not empty");
      }
      Path root = dir.toRealPath();
      for (Map.Entry<String, PackageFile> file : files.entrySet()) {
        Path target = root.resolve(file.getKey()).normalize();
        if (!target.startsWith(root)) throw new ServiceException("'" + file.getKey() + "' leaves the package");
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
          out.write(file.getValue().content());
        }
        if (file.getValue().executable()) target.toFile().setExecutable(true, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + manifest.name() + "@" + version + " into " + dir, e);
    }
  }

  private static String versionOf(byte[] zip) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(zip);
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  @Override
  public String toString() {
    return manifest.name() + "@" + version;
  }
}
