package io.storefleet.worker.imports;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * What an import did to ids, kept as {@code map_<sourceServerId>} in the destination's backup
 * path: old → new account ids and, per account, old → new item and folder ids (they share one id
 * sequence). A re-import reads it to skip what is already there; doFixShares reads it to repair
 * shares. Every write is committed before it returns.
 */
interface ImportMap extends Closeable {
  /** The account an old account id was imported as. */
  Optional<String> account(String oldAccountId);

  /** The new id of an old item or folder id of an account, or -1. */
  int id(String oldAccountId, int oldId);

  /** Records that account {@code oldId} was imported as {@code newId}. */
  void account(String oldId, String newId, String name) throws IOException;

  /** Records old → new item or folder ids of an account already recorded, with one sync. */
  void ids(String oldAccountId, int[] olds, int[] news) throws IOException;
}
