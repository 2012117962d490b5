package io.storefleet.demo;

import io.storefleet.cli.StorefleetCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeds a running cluster with demo data through the CLI, exactly as an operator would: three
 * domains, 30 accounts spread over the servers, generated MIME mail with attachments (some
 * messages delivered to several mailboxes), folders, flags, and shares that cross servers.
 * Usage: {@code DemoSeed <mail-dir> <server>...}; the coordinator comes from the environment.
 */
public final class DemoSeed {
  static final List<String> DOMAINS = List.of("acme.example", "globex.example", "initech.example");
  static final List<String> PEOPLE = List.of(
      "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy");

  private final Path mailDir;
  private final List<String> servers;
  private final DemoMessages messages = new DemoMessages(42);

  private DemoSeed(Path mailDir, List<String> servers) {
    this.mailDir = mailDir;
    this.servers = servers;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: DemoSeed <mail-dir> <server>...");
      System.exit(64);
    }
    new DemoSeed(Path.of(args[0]), List.of(args).subList(1, args.length)).seed();
  }

  private void cli(String... args) {
    int code = StorefleetCli.run(args, System.out, System.err, null);
    if (code != 0) {
      throw new IllegalStateException("demo seeding failed at: storefleet " + String.join(" ", args) + " (exit " + code + ")");
    }
  }

  private void seed() throws IOException {
    cli("admin", "createCos", "staff", "notes", "demo staff COS");
    List<String> accounts = new ArrayList<>();
    int i = 0;
    for (String domain : DOMAINS) {
      cli("admin", "createDomain", domain);
      List<String> members = new ArrayList<>();
      for (String person : PEOPLE) {
        String account = person + "@" + domain;
        String server = servers.get(i++ % servers.size());
        cli("--host", server, "admin", "createAccount", account, "cos", i % 3 == 0 ? "staff" : "default",
            "display_name", Character.toUpperCase(person.charAt(0)) + person.substring(1));
        accounts.add(account);
        members.add(account);
      }
      cli("admin", "createDistributionList", "all@" + domain, "members", String.join(",", members));
    }
    for (int a = 0; a < accounts.size(); a++) {
      String account = accounts.get(a);
      Path inbox = mailDir.resolve(account).resolve("inbox");
      Path projects = mailDir.resolve(account).resolve("projects");
      Files.createDirectories(inbox);
      Files.createDirectories(projects);
      int count = 12 + (a * 7) % 20;
      for (int m = 0; m < count; m++) {
        String from = accounts.get((a + m + 1) % accounts.size());
        Files.write(inbox.resolve(String.format("%03d.eml", m)), messages.message(from, account, m));
      }
      for (int m = 0; m < 4; m++) {
        Files.write(projects.resolve(String.format("%03d.eml", m)), messages.message(account, account, m + 100));
      }
      cli("admin", "createFolder", account, "/Inbox/Projects");
      cli("admin", "createFolder", account, "/Archive/2025");
      cli("admin", "injectMessages", account, inbox.toString());
      cli("admin", "injectMessages", account, projects.toString(), "folder", "/Inbox/Projects", "flags", "seen");
    }
    // One announcement delivered to every acme mailbox as identical bytes.
    Path announcement = mailDir.resolve("announcement.eml");
    Files.write(announcement, messages.message("alice@acme.example", "all@acme.example", 7));
    for (String account : accounts) {
      if (account.endsWith("@acme.example")) {
        cli("admin", "injectMessages", account, announcement.toString(), "flags", "flagged");
      }
    }
    // Shares that cross servers: each account shares its Projects folder with the next account,
    // which lives on the next server, and the grantee mounts it.
    for (int a = 0; a < accounts.size(); a += 3) {
      String owner = accounts.get(a);
      String grantee = accounts.get((a + 1) % accounts.size());
      cli("admin", "grantFolder", owner, "/Inbox/Projects", grantee, "rights", "rw");
      cli("admin", "mountShare", grantee, owner, "/Inbox/Projects", "/Shared/" + owner.substring(0, owner.indexOf('@')) + "-projects");
    }
  }
}
