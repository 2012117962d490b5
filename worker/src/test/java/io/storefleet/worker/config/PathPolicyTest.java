package io.storefleet.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator-given paths stay inside the allowed roots, however they are written (issue 16's fuzzing). */
class PathPolicyTest {
  @TempDir Path root;
  @TempDir Path outside;

  private PathPolicy policy() {
    return new PathPolicy(List.of(root), "mbox1");
  }

  private StorefleetException refused(ErrorCode code, String given) {
    StorefleetException e = assertThrows(StorefleetException.class, () -> policy().check(given, "destination_path"));
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("destination_path"), e.getMessage());
    return e;
  }

  @Test
  void pathsInsideTheRootAreTakenAsWritten() {
    assertEquals(root.resolve("exports/acme"), policy().check(root + "/exports/./acme", "destination_path"));
  }

  @Test
  void climbingOutOrLinkingOutIsRefused() throws Exception {
    Files.createSymbolicLink(root.resolve("out"), outside);
    refused(ErrorCode.PATH_NOT_ALLOWED, root + "/../" + outside.getFileName() + "/x");
    refused(ErrorCode.PATH_NOT_ALLOWED, root.resolve("out/x").toString());
    refused(ErrorCode.PATH_NOT_ALLOWED, "/etc/passwd");
  }

  @Test
  void aLinkToSomethingMissingIsRefusedBeforeAnythingIsMadeThroughIt() throws Exception {
    // A missing target used to make the link look like a plain new name inside the root, and a
    // file written there would have landed outside it.
    Path link = Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));
    StorefleetException e = refused(ErrorCode.PATH_NOT_ALLOWED, link.toString());
    assertTrue(e.getMessage().contains("symbolic link whose target is missing"), e.getMessage());
    refused(ErrorCode.PATH_NOT_ALLOWED, link.resolve("below").toString());
    assertFalse(Files.exists(outside.resolve("not-yet")));
  }

  @Test
  void aNulByteIsABadValueNotACrash() {
    StorefleetException e = refused(ErrorCode.BAD_VALUE, root + "/a\0b");
    assertTrue(e.getMessage().contains("is not a path"), e.getMessage());
  }
}
