package io.storefleet.worker.bench;

import java.nio.file.Path;

/** restic over a folder, timed: backups into one repository, a restore of a sub-folder plus sync. */
final class Restic {
  final Path repo;
  private final Path log;

  Restic(Path repo, Path log) throws Exception {
    this.repo = repo;
    this.log = log;
    run("restic", "init", "--repository-version", "2");
  }

  String version() throws Exception {
    return new String(new ProcessBuilder("restic", "version").start().getInputStream().readAllBytes()).trim()
        .replaceAll(" compiled.*", "");
  }

  /** Wall time of one backup of {@code dir}. */
  String backup(Path dir) throws Exception {
    long t = System.nanoTime();
    run("restic", "backup", "--compression", "auto", "-q", dir.toString());
    return BackupBenchmark.ms(System.nanoTime() - t);
  }

  /** Wall time of restoring {@code dir} from the last snapshot into {@code target}, then sync. */
  String restore(Path dir, Path target) throws Exception {
    long t = System.nanoTime();
    run("restic", "restore", "latest", "--target", target.toString(), "--include", dir.toString());
    run("sync");
    return BackupBenchmark.ms(System.nanoTime() - t);
  }

  private void run(String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("RESTIC_REPOSITORY", repo.toString());
    pb.environment().put("RESTIC_PASSWORD", "storefleet-bench");
    pb.environment().put("RESTIC_CACHE_DIR", repo.resolveSibling("restic-cache").toString());
    int rc = pb.start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + rc + "; see " + log);
    }
  }
}
