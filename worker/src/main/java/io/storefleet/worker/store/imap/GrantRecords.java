package io.storefleet.worker.store.imap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * What a grant has that its IMAP ACL entry cannot hold, kept in the shared mailbox's METADATA
 * entry {@link #KEY} (on the server, so it survives the loss of the worker's disk and travels with
 * the mailbox): per ACL identifier, the storefleet account ids granted through it and the rights
 * IMAP lacks ({@link AclRights#beside}). An identifier carries several ids while a share fix
 * re-grants an imported grantee (same address, new id) before revoking the old id.
 */
final class GrantRecords {
  static final String KEY = "/private/vendor/vendor.storefleet/grants";

  /** @param ids the grantee account ids given rights through the identifier; @param beside rights IMAP lacks */
  record Entry(List<String> ids, String beside) {
    Entry {
      ids = List.copyOf(ids);
      beside = beside == null ? "" : beside;
    }
  }

  private GrantRecords() {}

  /** The mailbox's records by ACL identifier; empty if none or unreadable as records. */
  static Map<String, Entry> read(ImapSession session, String mailbox) throws ProtocolException {
    Optional<String> text = session.metadata(mailbox, KEY);
    if (text.isEmpty() || text.get().isBlank()) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(Json.MAPPER.readValue(text.get(), new TypeReference<Map<String, Entry>>() {}));
    } catch (JsonProcessingException e) {
      // Another client's value under our key: the ACL still says who has rights, ids come by name.
      return new TreeMap<>();
    }
  }

  static void write(ImapSession session, String mailbox, Map<String, Entry> records) throws ProtocolException {
    try {
      session.setMetadata(mailbox, KEY, records.isEmpty() ? null : Json.MAPPER.writeValueAsString(records));
    } catch (JsonProcessingException e) {
      throw ErrorCode.INTERNAL.exception("cannot encode the grant records of " + mailbox + ": " + e.getMessage());
    }
  }
}
