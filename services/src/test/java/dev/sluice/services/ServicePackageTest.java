package dev.sluice.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServicePackageTest {
  @TempDir Path tmp;

  private Path serviceDir(String name, String manifest) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("service.yaml"), manifest);
    return dir;
  }

  private Path helloService(String name) throws IOException {
    Path dir = serviceDir(name, "name: hello\nruntime: bash\nsteps: [run.sh, lib/tool.sh]\n");
    Files.writeString(dir.resolve("run.sh"), "echo hi\n");
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("lib/tool.sh"), "echo tool\n");
    dir.resolve("lib/tool.sh").toFile().setExecutable(true);
    return dir;
  }

  @Test
  void sameFilesGiveTheSameBytesAndVersion() throws Exception {
    ServicePackage first = ServicePackage.fromDirectory(helloService("a"));
    Path second = helloService("b");
    Files.setLastModifiedTime(second.resolve("run.sh"), java.nio.file.attribute.FileTime.fromMillis(0));

    ServicePackage again = ServicePackage.fromDirectory(second);

    assertThat(again.zip()).isEqualTo(first.zip());
    assertThat(again.version()).isEqualTo(first.version()).matches("[0-9a-f]{12}");
    assertThat(first.manifest().name()).isEqualTo("hello");
    assertThat(first.fileNames()).containsExactly("lib/tool.sh", "run.sh", "service.yaml");
  }

  @Test
  void changedScriptGivesANewVersion() throws Exception {
    ServicePackage first = ServicePackage.fromDirectory(helloService("a"));
    Path changed = helloService("b");
    Files.writeString(changed.resolve("run.sh"), "echo bye\n");

    assertThat(ServicePackage.fromDirectory(changed).version()).isNotEqualTo(first.version());
  }

  @Test
  void zipRoundTripsIntoADirectoryKeepingExecBits() throws Exception {
    ServicePackage pkg = ServicePackage.fromDirectory(helloService("a"));
    ServicePackage loaded = ServicePackage.fromZip(pkg.zip());
    Path out = tmp.resolve("out");

    loaded.unpackInto(out);

    assertThat(loaded.version()).isEqualTo(pkg.version());
    assertThat(out.resolve("run.sh")).hasContent("echo hi");
    assertThat(out.resolve("lib/tool.sh")).hasContent("echo tool");
    assertThat(Files.isExecutable(out.resolve("lib/tool.sh"))).isTrue();
    assertThat(Files.isExecutable(out.resolve("run.sh"))).isFalse();
  }

  @Test
  void unpackRefusesANonEmptyDirectory() throws Exception {
    ServicePackage pkg = ServicePackage.fromDirectory(helloService("a"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("stale"), "x");

    assertThatThrownBy(() -> pkg.unpackInto(out)).hasMessageContaining("is not empty");
  }

  @Test
  void stepMissingFromThePackageIsNamed() throws Exception {
    Path dir = serviceDir("a", "name: hello\nruntime: bash\nsteps: [run.sh, build.sh]\n");
    Files.writeString(dir.resolve("run.sh"), "true\n");

    assertThatThrownBy(() -> ServicePackage.fromDirectory(dir))
        .isInstanceOf(ServiceException.class)
        .hasMessage("steps[1]: 'build.sh' is not in the package");
  }

  @Test
  void directoryWithoutManifestIsRefused() {
    assertThatThrownBy(() -> ServicePackage.fromDirectory(tmp)).hasMessageContaining("has no service.yaml");
  }

  @Test
  void symlinksInTheServiceDirectoryAreRefused() throws Exception {
    Path dir = helloService("a");
    Files.createSymbolicLink(dir.resolve("passwd"), Path.of("/etc/passwd"));

    assertThatThrownBy(() -> ServicePackage.fromDirectory(dir)).hasMessage("passwd: symbolic links are not packaged");
  }

  @Test
  void reservedHelperNamesAreRefused() throws Exception {
    Path dir = helloService("a");
    Files.writeString(dir.resolve("sluice.py"), "");

    assertThatThrownBy(() -> ServicePackage.fromDirectory(dir)).hasMessageContaining("'sluice.py' is reserved");
  }

  @Test
  void zipSlipEntryIsRefused() throws Exception {
    byte[] zip = zip("service.yaml", "name: a\nruntime: bash\nsteps: [a.sh]\n", "a.sh", "true", "../../evil.sh", "x");

    assertThatThrownBy(() -> ServicePackage.fromZip(zip))
        .isInstanceOf(ServiceException.class)
        .hasMessageContaining("'../../evil.sh' is not a relative path inside the package");
  }

  @Test
  void absoluteEntryIsRefused() throws Exception {
    byte[] zip = zip("service.yaml", "name: a\nruntime: bash\nsteps: [a.sh]\n", "a.sh", "true", "/etc/cron.d/x", "x");

    assertThatThrownBy(() -> ServicePackage.fromZip(zip)).hasMessageContaining("'/etc/cron.d/x'");
  }

  @Test
  void symlinkEntryInAForeignZipIsUnpackedAsAPlainFile() throws Exception {
    Path zipFile = tmp.resolve("link.zip");
    Process python = new ProcessBuilder("python3", "-c", """
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w") as z:
            z.writestr("service.yaml", "name: a\\nruntime: bash\\nsteps: [a.sh]\\n")
            z.writestr("a.sh", "true")
            link = zipfile.ZipInfo("passwd")
            link.external_attr = 0o120777 << 16
            z.writestr(link, "/etc/passwd")
        """, zipFile.toString()).inheritIO().start();
    assertThat(python.waitFor()).isZero();
    Path out = tmp.resolve("out");

    ServicePackage.fromZip(Files.readAllBytes(zipFile)).unpackInto(out);

    assertThat(Files.isSymbolicLink(out.resolve("passwd"))).isFalse();
    assertThat(out.resolve("passwd")).hasContent("/etc/passwd");
  }

  @Test
  void zipBombIsRefusedWhileReading() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("service.yaml"));
      out.write("name: a\nruntime: bash\nsteps: [a.sh]\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new ZipEntry("a.sh"));
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i < 11; i++) out.write(zeros);
    }
    assertThat(bytes.size()).isLessThan(100_000);

    assertThatThrownBy(() -> ServicePackage.fromZip(bytes.toByteArray()))
        .hasMessageContaining("package is larger than 10485760 bytes unpacked (at 'a.sh')");
  }

  @Test
  void garbageIsNotAPackage() {
    assertThatThrownBy(() -> ServicePackage.fromZip("not a zip".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ServiceException.class);
  }

  private static byte[] zip(String... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        out.putNextEntry(new ZipEntry(namesAndContents[i]));
        out.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toByteArray();
  }
}
