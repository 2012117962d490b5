package io.storefleet.worker.shares;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.shares.MapSelection;
import io.storefleet.shares.ShareReport;
import io.storefleet.shares.ShareSurvey;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.QueuedCommand;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.importmap.IdMap;
import io.storefleet.worker.importmap.IdMapView;
import io.storefleet.worker.queue.OperationTask;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The share commands of one worker: {@code doCheckShares} (immediate: it only reads, and its
 * answer is the report), {@code doFixShares} (queued: it changes mailboxes) and {@code getMap}.
 */
public final class ShareCommands {
  private final Vertx vertx;
  private final Replies replies;
  private final ShareService service;
  private final ShareSurvey survey;
  private final PathPolicy paths;

  public ShareCommands(Vertx vertx, Replies replies, ShareService service, ShareSurvey survey, PathPolicy paths) {
    this.vertx = vertx;
    this.replies = replies;
    this.service = service;
    this.survey = survey;
    this.paths = paths;
  }

  public void register(CommandRegistry r) {
    // A survey waits for every server's share endpoint, this one's included, which answers on the
    // common worker pool: waiting surveys get their own threads so they can never starve it.
    WorkerExecutor surveys = vertx.createSharedWorkerExecutor(ShareSurvey.POOL, 2);
    r.immediate(BackupCommand.DO_CHECK_SHARES, (c, x) -> surveys.executeBlocking(() -> {
      ShareReport report = survey.check(MapSelection.all()).forServer(service.serverId());
      return replies.result(report, report.render());
    }, false));
    r.immediate(BackupCommand.GET_MAP, (c, x) -> vertx.executeBlocking(() -> {
      IdMapView view = IdMapView.of(readMap(mapPath(c.required("file_path"))));
      return replies.result(view, view.render());
    }, false));
    r.queued(BackupCommand.DO_FIX_SHARES, new QueuedCommand() {
      @Override
      public void validate(ParsedCommand cmd) {
        selection(cmd);
      }

      @Override
      public OperationTask task(ParsedCommand cmd, Operation op) {
        MapSelection s = selection(cmd);
        return new ShareFixTask(survey, s, s.isAll() ? null : service.serverId());
      }
    });
  }

  /** {@code all}, or one readable map of this server's backup path. */
  private MapSelection selection(ParsedCommand cmd) {
    String given = cmd.required("import_idmap_file").trim();
    if (given.equalsIgnoreCase(MapSelection.ALL)) {
      return MapSelection.all();
    }
    Path file = service.mapFile(pathText(given, "doFixShares import_idmap_file"));
    readMap(file);
    return MapSelection.one(service.serverId(), file.getFileName().toString());
  }

  /** {@code given} when it can be a path; BAD_VALUE naming {@code what} otherwise (a NUL byte, say). */
  private String pathText(String given, String what) {
    try {
      Path.of(given);
      return given;
    } catch (java.nio.file.InvalidPathException e) {
      throw ErrorCode.BAD_VALUE.exception(what + " is not a path (" + e.getReason() + ")", service.serverId());
    }
  }

  /** The map in {@code file}; NOT_FOUND when there is no such file, not an I/O failure of the server. */
  private IdMap readMap(Path file) {
    if (!Files.isRegularFile(file)) {
      throw ErrorCode.NOT_FOUND.exception("import map " + file + " does not exist on server " + service.serverId()
          + (Files.isDirectory(file) ? " (it is a folder)" : "") + "; give a map_<source> file that"
          + " doExternalRestore wrote, or all", service.serverId());
    }
    try {
      return service.map(file);
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot read import map " + file + ": " + e.getMessage(), service.serverId());
    }
  }

  /** getMap's file: relative to the backup path, or absolute inside the allowed roots. */
  private Path mapPath(String given) {
    Path p = Path.of(pathText(given, "getMap file_path"));
    if (!p.isAbsolute() || p.normalize().startsWith(service.backupRoot())) {
      return service.inBackupPath(p.isAbsolute() ? service.backupRoot().relativize(p.normalize()).toString() : given);
    }
    return paths.check(given, "file_path");
  }
}
