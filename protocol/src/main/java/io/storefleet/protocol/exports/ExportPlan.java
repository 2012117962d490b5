package io.storefleet.protocol.exports;

import java.util.Map;

/**
 * A planned export, the body of {@code POST /api/v1/exports}: domains whose accounts are spread
 * over several servers exported from every server that holds part of them, one doExport per
 * server into {@code <destinationPath>/<server>}, reported as one result (an {@link
 * io.storefleet.protocol.imports.ImportStatus} of kind {@code export}).
 *
 * @param destinationPath an existing folder every server can write to (a shared mount for servers
 *     on several machines); each server exports into a subfolder named after itself
 * @param params doExport parameters for every part: {@code domains} (default all), {@code cos},
 *     {@code skip_items}, {@code read_error_threshold}, {@code notifications}; not {@code
 *     destination_path}, {@code plan} or {@code plan_part}, which the parts set
 * @param requestId the client's id of this submission ({@link
 *     io.storefleet.protocol.wire.RequestId}), the same on every retry, or null: a repeat queues
 *     nothing again and answers with the first plan id and operations (since v9)
 */
public record ExportPlan(String destinationPath, Map<String, String> params, String requestId) {
  public ExportPlan {
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  /** A plan without request id. */
  public ExportPlan(String destinationPath, Map<String, String> params) {
    this(destinationPath, params, null);
  }
}
