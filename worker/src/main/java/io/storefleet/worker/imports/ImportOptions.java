package io.storefleet.worker.imports;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.config.PathPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a doExternalRestore was asked to do, read once from its parameters.
 *
 * @param accounts the accounts named (by {@code accounts} and {@code input_file}), lower case; empty for all
 * @param domains the domains named, lower case; empty for all
 * @param maxFileSizeBytes the largest item imported, or -1 for no limit
 * @param blobsArchive the off-site copy the contents are read from ({@code remote}, {@code
 *     remote:<server>}), or null: the source's own packs
 */
record ImportOptions(
    Path source,
    Set<String> accounts,
    Set<String> domains,
    boolean filterDeleted,
    boolean skipSystemAccounts,
    boolean skipAliases,
    boolean skipDistributionLists,
    boolean skipCoses,
    boolean skipAccountProvisioning,
    boolean skipDomainProvisioning,
    boolean provisioningOnly,
    int concurrentAccounts,
    long maxFileSizeBytes,
    boolean forceAsExternal,
    String blobsArchive) {

  static final int MAX_CONCURRENT_ACCOUNTS = 32;

  static ImportOptions of(ParsedCommand cmd, PathPolicy paths, String serverId) {
    Path source = paths.check(cmd.required("source_path"), "source_path");
    Set<String> accounts = names(cmd.list("accounts"));
    if (cmd.has("input_file")) {
      accounts.addAll(inputFile(paths.check(cmd.string("input_file"), "input_file"), serverId));
    }
    long concurrent = cmd.integer("concurrent_accounts", 1);
    if (concurrent < 1 || concurrent > MAX_CONCURRENT_ACCOUNTS) {
      throw ErrorCode.BAD_VALUE.exception("doExternalRestore concurrent_accounts " + concurrent + " is out of range;"
          + " give 1 to " + MAX_CONCURRENT_ACCOUNTS + " (start low and raise it while the server keeps up)", serverId);
    }
    long maxFile = -1;
    if (cmd.has("max_file_size")) {
      long mb = cmd.integer("max_file_size", 0);
      if (mb < 1) {
        throw ErrorCode.BAD_VALUE.exception("doExternalRestore max_file_size " + mb + " is below 1 MB; give the size"
            + " in MB of the largest item to import, or leave it out", serverId);
      }
      maxFile = mb * 1024 * 1024;
    }
    return new ImportOptions(source, accounts, names(cmd.list("domains")), cmd.bool("filter_deleted"),
        cmd.bool("skip_system_accounts"), cmd.bool("skip_aliases"), cmd.bool("skip_distribution_lists"),
        cmd.bool("skip_coses"), cmd.bool("skip_account_provisioning"), cmd.bool("skip_domain_provisioning"),
        cmd.bool("provisioning_only"), (int) concurrent, maxFile, cmd.bool("force_as_external_restore"),
        cmd.has("blobs_archive") ? cmd.string("blobs_archive") : null);
  }

  /** Lower-case names; {@code all} (the default) means no restriction. */
  private static Set<String> names(List<String> given) {
    Set<String> out = new LinkedHashSet<>();
    for (String g : given) {
      String v = g.trim().toLowerCase(Locale.ROOT);
      if (v.equals("all")) {
        return new LinkedHashSet<>();
      }
      if (!v.isEmpty()) {
        out.add(v);
      }
    }
    return out;
  }

  private static List<String> inputFile(Path file, String serverId) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw ErrorCode.NOT_FOUND.exception("doExternalRestore input_file " + file + " cannot be read (" + e
          + "); give a text file with one account per line", serverId);
    }
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      String v = l.trim().toLowerCase(Locale.ROOT);
      if (!v.isEmpty() && !v.startsWith("#")) {
        out.add(v);
      }
    }
    if (out.isEmpty()) {
      throw ErrorCode.BAD_VALUE.exception("doExternalRestore input_file " + file + " names no account; give one"
          + " account per line, or leave input_file out to import them all", serverId);
    }
    return out;
  }

  /** Whether the import is limited to named accounts (then domain-level provisioning, lists, is left out). */
  boolean namedAccountsOnly() {
    return !accounts.isEmpty();
  }
}
