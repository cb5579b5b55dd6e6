package dev.sluice.services.internal.manifest;

import dev.sluice.services.ServiceException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The zip form of a service package. Writing is deterministic — entries sorted, one fixed timestamp, no directory
 * entries — so the same files always give the same bytes and therefore the same version id. Reading trusts nothing
 * in the archive: names are checked, sizes are counted as bytes arrive rather than taken from headers.
 *
 * <p>{@code java.util.zip} cannot write Unix modes, so an executable file carries a small extra field of our own
 * (header id {@link #EXECUTABLE_FIELD}, no data) that reading turns back into the exec bit.
 */
public final class PackageArchive {
  public static final long MAX_TOTAL_BYTES = 10L * 1024 * 1024;
  public static final int MAX_ENTRIES = 1000;
  static final int EXECUTABLE_FIELD = 0x5853; // "SX"
  private static final byte[] EXECUTABLE_EXTRA = {0x53, 0x58, 0, 0};
  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  /** One file of a package. */
  public record PackageFile(byte[] content, boolean executable) {}

  private PackageArchive() {}

  /** Every regular file under {@code dir}, by its forward-slashed relative path; refuses symlinks and oversize trees. */
  public static SortedMap<String, PackageFile> readDirectory(Path dir) {
    SortedMap<String, PackageFile> files = new TreeMap<>();
    long[] total = {0};
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        if (path.equals(dir)) continue;
        BasicFileAttributes attributes =
            Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String name = dir.relativize(path).toString().replace('\\', '/');
        if (attributes.isSymbolicLink()) throw new ServiceException(name + ": symbolic links are not packaged");
        if (attributes.isDirectory()) continue;
        if (!attributes.isRegularFile()) throw new ServiceException(name + ": not a regular file");
        total[0] += attributes.size();
        if (total[0] > MAX_TOTAL_BYTES) throw new ServiceException("package is larger than " + MAX_TOTAL_BYTES + " bytes");
        if (files.size() >= MAX_ENTRIES) throw new ServiceException("package has more than " + MAX_ENTRIES + " files");
        files.put(name, new PackageFile(Files.readAllBytes(path), Files.isExecutable(path)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read service directory " + dir, e);
    }
    return files;
  }

  public static byte[] write(SortedMap<String, PackageFile> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setLevel(9);
      for (Map.Entry<String, PackageFile> file : files.entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        entry.setTimeLocal(FIXED_TIME);
        if (file.getValue().executable()) entry.setExtra(EXECUTABLE_EXTRA);
        zip.putNextEntry(entry);
        zip.write(file.getValue().content());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static SortedMap<String, PackageFile> read(byte[] archive) {
    SortedMap<String, PackageFile> files = new TreeMap<>();
    long total = 0;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        String name = entry.getName();
        if (entry.isDirectory()) continue;
        if (!PackagePaths.isSafeRelative(name)) {
          throw new ServiceException("package entry '" + name + "' is not a relative path inside the package");
        }
        if (files.containsKey(name)) throw new ServiceException("package entry '" + name + "' appears twice");
        if (files.size() >= MAX_ENTRIES) throw new ServiceException("package has more than " + MAX_ENTRIES + " files");
        byte[] content = readBounded(zip, MAX_TOTAL_BYTES - total, name);
        total += content.length;
        files.put(name, new PackageFile(content, isExecutable(entry.getExtra())));
      }
    } catch (ZipException e) {
      throw new ServiceException("package is not a valid zip: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) throw new ServiceException("package is empty or not a zip");
    return files;
  }

  private static byte[] readBounded(InputStream in, long allowed, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long count = 0;
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      count += n;
      if (count > allowed) {
        throw new ServiceException("package is larger than " + MAX_TOTAL_BYTES + " bytes unpacked (at '" + name + "')");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static boolean isExecutable(byte[] extra) {
    if (extra == null) return false;
    for (int i = 0; i + 4 <= extra.length; ) {
      int id = (extra[i] & 0xff) | (extra[i + 1] & 0xff) << 8;
      int size = (extra[i + 2] & 0xff) | (extra[i + 3] & 0xff) << 8;
      if (id == EXECUTABLE_FIELD) return true;
      i += 4 + size;
    }
    return false;
  }
}
