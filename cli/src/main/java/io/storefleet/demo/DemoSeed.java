package io.storefleet.demo;

import io.storefleet.cli.StorefleetCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeds a running cluster with demo data through the CLI, exactly as an operator would: three
 * domains, 30 accounts spread over the servers, generated MIME mail with attachments (some
 * messages delivered to several mailboxes), folders, flags, and shares that cross servers.
 * Usage: {@code DemoSeed <mail-dir> <server>...}; the coordinator comes from the environment.
 * An interrupted seed resumes where it stopped when run again ({@link SeedSteps}, journal
 * {@code <mail-dir>/steps.done}).
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
    try {
      new DemoSeed(Path.of(args[0]), List.of(args).subList(1, args.length)).seed();
    } catch (IllegalStateException e) {
      System.err.println(e.getMessage());
      System.exit(70);
    }
  }

  private static SeedSteps.Outcome cli(List<String> args) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(new TeeOutputStream(text, System.out), true, StandardCharsets.UTF_8);
    int code = StorefleetCli.run(args.toArray(String[]::new), both, both, null);
    return new SeedSteps.Outcome(code, text.toString(StandardCharsets.UTF_8));
  }

  /** Writes to the seed log and keeps a copy for the step's verdict. */
  private static final class TeeOutputStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeOutputStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }

  private void seed() throws IOException {
    Files.createDirectories(mailDir);
    SeedSteps steps = SeedSteps.open(mailDir.resolve("steps.done"), DemoSeed::cli);
    seed(steps);
    if (steps.skipped() > 0) {
      System.out.println("demo seed resumed: " + steps.skipped() + " step(s) done by an earlier run were skipped");
    }
  }

  private void seed(SeedSteps steps) throws IOException {
    steps.step("admin", "createCos", "staff", "notes", "demo staff COS");
    List<String> accounts = new ArrayList<>();
    int i = 0;
    for (String domain : DOMAINS) {
      steps.step("admin", "createDomain", domain);
      List<String> members = new ArrayList<>();
      for (String person : PEOPLE) {
        String account = person + "@" + domain;
        String server = servers.get(i++ % servers.size());
        steps.step("--host", server, "admin", "createAccount", account, "cos", i % 3 == 0 ? "staff" : "default",
            "display_name", Character.toUpperCase(person.charAt(0)) + person.substring(1));
        accounts.add(account);
        members.add(account);
      }
      steps.step("admin", "createDistributionList", "all@" + domain, "members", String.join(",", members));
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
      steps.step("admin", "createFolder", account, "/Inbox/Projects");
      steps.step("admin", "createFolder", account, "/Archive/2025");
      steps.step("admin", "injectMessages", account, inbox.toString());
      steps.step("admin", "injectMessages", account, projects.toString(), "folder", "/Inbox/Projects", "flags", "seen");
    }
    // One announcement delivered to every acme mailbox as identical bytes.
    Path announcement = mailDir.resolve("announcement.eml");
    Files.write(announcement, messages.message("alice@acme.example", "all@acme.example", 7));
    for (String account : accounts) {
      if (account.endsWith("@acme.example")) {
        steps.step("admin", "injectMessages", account, announcement.toString(), "flags", "flagged");
      }
    }
    // Shares that cross servers: each account shares its Projects folder with the next account,
    // which lives on the next server, and the grantee mounts it.
    for (int a = 0; a < accounts.size(); a += 3) {
      String owner = accounts.get(a);
      String grantee = accounts.get((a + 1) % accounts.size());
      steps.step("admin", "grantFolder", owner, "/Inbox/Projects", grantee, "rights", "rw");
      steps.step("admin", "mountShare", grantee, owner, "/Inbox/Projects", "/Shared/" + owner.substring(0, owner.indexOf('@')) + "-projects");
    }
  }
}
