package io.storefleet.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.log.AppendLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The backup format package is the only writer of a backup path (docs/backup-format.md, "API"):
 * code elsewhere that holds a backup path, an engine or a history (anything of
 * {@code backup.format}) must not write files itself, with the log writer, file channels or
 * {@code Files}; it asks the format API ({@code BackupEngine.commit}, {@code GroupCommit},
 * {@code RealtimeCursor}, {@code AccountFiles}, ...). Code that writes other files (the store,
 * the queue, the properties) does not touch backup-format types and is not concerned.
 */
class BackupPathWritersTest {
  private static final String FORMAT = "io.storefleet.worker.backup.format";

  /** The low-level writers, by owner, with the methods that change files. */
  private static final Map<Class<?>, Set<String>> WRITERS = Map.of(
      AppendLog.class, Set.of("open", "append", "appendAll", "write", "force", "rewrite", "syncDirectory"),
      FileChannel.class, Set.of("open", "write", "truncate", "force", "transferFrom"),
      Files.class, Set.of("write", "writeString", "newOutputStream", "newBufferedWriter", "newByteChannel", "delete",
          "deleteIfExists", "move", "copy", "createFile", "createDirectory", "createDirectories"),
      BackupPath.class, Set.of("writeAtomically"));

  static final ArchRule ONLY_THE_FORMAT_WRITES_BACKUP_PATHS = classes()
      .that().resideOutsideOfPackage(FORMAT + "..")
      .should(new ArchCondition<JavaClass>("not write files while holding backup-format types") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
          if (!holdsFormatTypes(c)) {
            return;
          }
          for (JavaAccess<?> a : c.getAccessesFromSelf()) {
            if (a.getTarget() instanceof AccessTarget.CodeUnitAccessTarget t && isWriter(t)) {
              events.add(SimpleConditionEvent.violated(a, a.getDescription()
                  + ": only " + FORMAT + " writes under a backup path; use its API"));
            }
          }
        }
      })
      .because("one package owns the backup path's write order and fsync rules (docs/backup-format.md)");

  /** Whether the class, or a class it is nested in, uses any type of the format package. */
  private static boolean holdsFormatTypes(JavaClass c) {
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      if (dependsOnFormat(k)) {
        return true;
      }
    }
    return false;
  }

  private static boolean dependsOnFormat(JavaClass c) {
    return c.getDirectDependenciesFromSelf().stream()
        .anyMatch(d -> d.getTargetClass().getPackageName().startsWith(FORMAT));
  }

  private static boolean isWriter(AccessTarget.CodeUnitAccessTarget t) {
    for (Map.Entry<Class<?>, Set<String>> w : WRITERS.entrySet()) {
      if (t.getOwner().isEquivalentTo(w.getKey()) && w.getValue().contains(t.getName())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void onlyTheFormatPackageWritesUnderABackupPath() {
    JavaClasses main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.storefleet.worker");
    ONLY_THE_FORMAT_WRITES_BACKUP_PATHS.check(main);
  }

  @Test
  void theRuleCatchesCodeThatWritesBesideTheFormat() {
    JavaClasses leak = new ClassFileImporter().importClasses(LeakyWriter.class);
    EvaluationResult r = ONLY_THE_FORMAT_WRITES_BACKUP_PATHS.evaluate(leak);
    assertTrue(r.hasViolation(), "a class holding a BackupPath that appends to a log must be reported");
    assertTrue(r.getFailureReport().toString().contains("AppendLog.open"), r.getFailureReport().toString());
  }

  /** What the rule exists to stop: a record appended to a backup path beside the commit order. */
  static final class LeakyWriter {
    static void append(BackupPath path) throws IOException {
      try (AppendLog log = AppendLog.open(path.root().resolve("accounts/x/items.log"))) {
        log.append("1\tstate");
      }
    }
  }
}
