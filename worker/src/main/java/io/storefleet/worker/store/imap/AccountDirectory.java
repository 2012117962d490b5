package io.storefleet.worker.store.imap;

import com.fasterxml.jackson.core.type.TypeReference;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The accounts of the server: its userdb as doveadm lists it (re-listed only when the cached list
 * is older than the TTL), each with the storefleet id and creation time kept in the user's server
 * METADATA ({@link #ACCOUNT_ID}, {@link #CREATED_AT}); a user seen the first time gets them. The
 * ids are cached in {@code accounts.json} so a listing needs no IMAP login per user; the cache is
 * only a copy, the server's METADATA is the truth. An account's COS and aliases, which Dovecot
 * does not hold, come from the worker's {@link KeptDirectory}; an alias finds its account.
 */
final class AccountDirectory {
  static final String ACCOUNT_ID = "/private/vendor/vendor.storefleet/account-id";
  static final String CREATED_AT = "/private/vendor/vendor.storefleet/created-at";
  /** The account's attributes Dovecot does not hold, as base64 of their JSON (METADATA values stay ASCII). */
  static final String ATTRIBUTES = "/private/vendor/vendor.storefleet/attributes";
  static final String COS = "default";

  record Ids(String id, Instant createdAt, Map<String, String> attributes) {
    Ids {
      attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
  }

  private final DoveadmClient doveadm;
  private final ImapConnections imap;
  private final Clock clock;
  private final Duration ttl;
  private final Path cacheFile;
  private final KeptDirectory kept;
  private final Map<String, Ids> ids;
  private List<String> users;
  private Instant listedAt;
  private int listings;
  private boolean unsaved;

  AccountDirectory(DoveadmClient doveadm, ImapConnections imap, Clock clock, Duration ttl, Path cacheFile,
      KeptDirectory kept) {
    this.kept = kept;
    this.doveadm = doveadm;
    this.imap = imap;
    this.clock = clock;
    this.ttl = ttl;
    this.cacheFile = cacheFile;
    this.ids = new TreeMap<>(readCache(cacheFile));
  }

  synchronized List<Account> accounts() {
    try {
      List<Account> out = new ArrayList<>();
      for (String user : users()) {
        out.add(account(user, ids(user)));
      }
      return out;
    } finally {
      saveIfChanged();
    }
  }

  /** An account by name or id, case-insensitive. */
  synchronized Optional<Account> find(String nameOrId) {
    try {
      return lookUp(nameOrId);
    } finally {
      saveIfChanged();
    }
  }

  private Optional<Account> lookUp(String nameOrId) {
    String key = nameOrId.toLowerCase(Locale.ROOT);
    for (String user : users()) {
      if (user.equalsIgnoreCase(key)) {
        return Optional.of(account(user, ids(user)));
      }
    }
    if (key.contains("@")) {
      Optional<String> owner = kept.accountOfAlias(key);
      if (owner.isPresent()) {
        return byId(owner.get());
      }
    }
    Optional<Account> byId = byId(key);
    if (byId.isEmpty() && !key.contains("@") && users().stream().anyMatch(u -> !ids.containsKey(u))) {
      // An id of a user this worker has not resolved yet (a fresh or lost cache): resolve them all.
      users().forEach(this::ids);
      byId = byId(key);
    }
    return byId;
  }

  private Optional<Account> byId(String id) {
    for (String user : users()) {
      Ids known = ids.get(user);
      if (known != null && known.id().equalsIgnoreCase(id)) {
        return Optional.of(account(user, known));
      }
    }
    return Optional.empty();
  }

  /** Forgets the cached user list, so the next call lists the userdb again. */
  synchronized void invalidate() {
    users = null;
  }

  /** Forgets a deleted user's ids. */
  synchronized void forget(String user) {
    ids.remove(user);
    writeCache();
    users = null;
  }

  private List<String> users() {
    Instant now = clock.instant();
    if (users == null || listedAt == null || !now.isBefore(listedAt.plus(ttl))) {
      users = doveadm.users().stream().map(u -> u.toLowerCase(Locale.ROOT)).sorted().toList();
      listedAt = now;
      listings++;
    }
    return users;
  }

  /** How many times the userdb was listed through doveadm (what the cache saves). */
  synchronized int listings() {
    return listings;
  }

  private Ids ids(String user) {
    Ids known = ids.get(user);
    if (known != null) {
      return known;
    }
    Ids found = imap.call(user, s -> {
      Optional<String> id = s.metadata("", ACCOUNT_ID);
      Optional<String> created = s.metadata("", CREATED_AT);
      if (id.isPresent()) {
        return new Ids(id.get(), created.map(Instant::parse).orElse(null),
            decode(user, s.metadata("", ATTRIBUTES).orElse("")));
      }
      Ids fresh = new Ids(UUID.randomUUID().toString(), clock.instant(), Map.of());
      s.setMetadata("", CREATED_AT, fresh.createdAt().toString());
      s.setMetadata("", ACCOUNT_ID, fresh.id());
      return fresh;
    });
    ids.put(user, found);
    // Written once by the call that resolved it: a first listing of many users writes the cache once, not per user.
    unsaved = true;
    return found;
  }

  private void saveIfChanged() {
    if (unsaved) {
      writeCache();
    }
  }

  /** Replaces an account's attributes, on the server first. */
  synchronized Account setAttributes(String user, Map<String, String> attributes) {
    Ids known = ids(user);
    String encoded;
    try {
      encoded = Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(new TreeMap<>(attributes)));
    } catch (IOException e) {
      throw ErrorCode.BAD_VALUE.exception("attributes of " + user + " cannot be encoded: " + e.getMessage());
    }
    imap.call(user, s -> {
      s.setMetadata("", ATTRIBUTES, attributes.isEmpty() ? null : encoded);
      return null;
    });
    Ids changed = new Ids(known.id(), known.createdAt(), attributes);
    ids.put(user, changed);
    writeCache();
    return account(user, changed);
  }

  private static Map<String, String> decode(String user, String value) {
    if (value.isEmpty()) {
      return Map.of();
    }
    try {
      return Json.MAPPER.readValue(Base64.getDecoder().decode(value), new TypeReference<Map<String, String>>() { });
    } catch (IOException | IllegalArgumentException e) {
      throw ErrorCode.IO_ERROR.exception("the storefleet attributes in the METADATA of " + user
          + " are unreadable (" + e.getMessage() + "); remove " + ATTRIBUTES + " with SETMETADATA");
    }
  }

  /** The account of a user: ids and attributes from the server, COS and aliases from the worker's directory. */
  private Account account(String user, Ids ids) {
    int at = user.indexOf('@');
    String domain = at < 0 ? "" : user.substring(at + 1);
    return kept.overlay(new Account(ids.id(), user, domain, COS, "active", ids.attributes(), List.of(),
        ids.createdAt()));
  }

  private static Map<String, Ids> readCache(Path file) {
    if (!Files.exists(file)) {
      return Map.of();
    }
    try {
      return Json.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Ids>>() { });
    } catch (IOException e) {
      // Only a copy of the server's METADATA: start without it.
      return Map.of();
    }
  }

  private void writeCache() {
    Path tmp = cacheFile.resolveSibling(cacheFile.getFileName() + ".tmp");
    try {
      Files.createDirectories(cacheFile.getParent());
      Json.MAPPER.writeValue(tmp.toFile(), ids);
      Files.move(tmp, cacheFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      unsaved = false;
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot write the imap store's account cache " + cacheFile + ": "
          + e.getMessage());
    }
  }
}
