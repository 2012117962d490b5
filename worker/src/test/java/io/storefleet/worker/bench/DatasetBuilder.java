package io.storefleet.worker.bench;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.store.local.MessageSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds the benchmark's mail: every message of the shared corpus delivered into an embedded
 * store over many accounts, about a fifth of them to several mailboxes as identical bytes (a
 * mailing list, a Cc), and the same mailboxes exported as a maildir-like tree of files
 * ({@code export/<account>/<folder path>/<item id>.eml}) for the file-level backup tools.
 */
final class DatasetBuilder {
  static final String ARCHIVE = "/Inbox/Archive";
  static final String[] DOMAINS = {"alpha.example", "beta.example"};

  private final int accounts;
  private final double shared;
  private final long seed;

  DatasetBuilder(int accounts, double shared, long seed) {
    this.accounts = accounts;
    this.shared = shared;
    this.seed = seed;
  }

  /** Every message of the corpus, in path order: .eml files whole, .mbox files split. */
  static List<byte[]> readCorpus(Path corpus) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(corpus)) {
      files = s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".eml") || p.toString().endsWith(".mbox"))
          .sorted()
          .toList();
    }
    List<byte[]> out = new ArrayList<>();
    for (Path f : files) {
      out.addAll(MessageSources.read(f));
    }
    return out;
  }

  static String accountName(int i) {
    return String.format("user%03d@%s", i, DOMAINS[i % DOMAINS.length]);
  }

  /** Builds {@code dir/store} and {@code dir/export}; returns what went in, for the report. */
  Map<String, String> build(Path dir, Path corpus) throws IOException {
    List<byte[]> messages = readCorpus(corpus);
    Random rnd = new Random(seed);
    List<List<byte[]>> perAccount = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      perAccount.add(new ArrayList<>());
    }
    long corpusBytes = 0;
    long sharedMessages = 0;
    long extraCopies = 0;
    long items = 0;
    long rawBytes = 0;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      order.add(i);
    }
    for (byte[] m : messages) {
      corpusBytes += m.length;
      int copies = rnd.nextDouble() < shared ? 2 + rnd.nextInt(4) : 1; // 2 to 5 mailboxes
      if (copies > 1) {
        sharedMessages++;
        extraCopies += copies - 1;
      }
      Collections.shuffle(order, rnd);
      for (int c = 0; c < copies; c++) {
        perAccount.get(order.get(c)).add(m);
        items++;
        rawBytes += m.length;
      }
    }
    Path storeDir = dir.resolve("store");
    Path export = dir.resolve("export");
    try (LocalMailStore store = LocalMailStore.open(storeDir, Clock.systemUTC())) {
      for (String d : DOMAINS) {
        store.createDomain(d);
      }
      for (int i = 0; i < accounts; i++) {
        Account a = store.createAccount(accountName(i), null, Map.of());
        store.createFolder(a.id(), ARCHIVE, "message");
        List<byte[]> mail = perAccount.get(i);
        for (int from = 0; from < mail.size(); from += 500) {
          store.addMessages(a.id(), Folder.INBOX, mail.subList(from, Math.min(mail.size(), from + 500)),
              Set.of(), Set.of());
        }
      }
      exportTree(store, export);
    }
    Set<String> unique = new HashSet<>();
    long uniqueBytes = 0;
    for (byte[] m : messages) {
      if (unique.add(io.storefleet.worker.backup.format.BlobCodec.sha256(m))) {
        uniqueBytes += m.length;
      }
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("accounts", Integer.toString(accounts));
    p.put("domains", Integer.toString(DOMAINS.length));
    p.put("corpusMessages", Integer.toString(messages.size()));
    p.put("corpusBytes", Long.toString(corpusBytes));
    p.put("uniqueContents", Integer.toString(unique.size()));
    p.put("uniqueBytes", Long.toString(uniqueBytes));
    p.put("sharedMessages", Long.toString(sharedMessages));
    p.put("extraCopies", Long.toString(extraCopies));
    p.put("items", Long.toString(items));
    p.put("rawBytes", Long.toString(rawBytes));
    p.put("seed", Long.toString(seed));
    return p;
  }

  /** Writes every message folder of every account as files, as an operator would hand to restic. */
  static void exportTree(LocalMailStore store, Path export) throws IOException {
    for (Account a : store.accounts()) {
      Map<Integer, Path> folders = new HashMap<>();
      for (Folder f : store.folders(a.id())) {
        if ("message".equals(f.view()) && f.id() != Folder.ROOT) {
          Path p = folderDir(export, a.name(), f.path());
          Files.createDirectories(p);
          folders.put(f.id(), p);
        }
      }
      for (Item i : store.items(a.id())) {
        Path d = folders.get(i.folderId());
        if (d != null) {
          Files.write(d.resolve(i.id() + ".eml"), store.content(a.id(), i.id()));
        }
      }
    }
  }

  static Path folderDir(Path export, String account, String folderPath) {
    Path p = export.resolve(account);
    for (String part : folderPath.split("/")) {
      if (!part.isEmpty()) {
        p = p.resolve(part);
      }
    }
    return p;
  }
}
