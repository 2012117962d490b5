package io.storefleet.protocol.imports;

import java.util.List;
import java.util.Map;

/**
 * A planned import, the body of {@code POST /api/v1/imports}: exports (or backup paths) of old
 * servers imported onto servers of this cluster, one doExternalRestore per part, run by the
 * coordinator on each part's server and reported as one result.
 *
 * @param kind {@link #MIRROR} (each source whole onto its own server: as many sources as servers)
 *     or {@link #COMPOSITE} (domains or accounts of the sources spread by hand over any servers)
 * @param parts what goes where
 * @param params doExternalRestore parameters given to every part (e.g. {@code concurrent_accounts},
 *     {@code notifications}, {@code filter_deleted}); not {@code source_path}, {@code accounts},
 *     {@code domains}, {@code input_file}, {@code plan} or {@code plan_part}, which the parts set
 * @param requestId the client's id of this submission ({@link
 *     io.storefleet.protocol.wire.RequestId}), the same on every retry, or null: a repeat queues
 *     nothing again and answers with the first plan id and operations (since v9)
 */
public record ImportPlan(String kind, List<ImportPart> parts, Map<String, String> params, String requestId) {
  public static final String MIRROR = "mirror";
  public static final String COMPOSITE = "composite";

  public ImportPlan {
    parts = parts == null ? List.of() : List.copyOf(parts);
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  /** A plan without request id. */
  public ImportPlan(String kind, List<ImportPart> parts, Map<String, String> params) {
    this(kind, parts, params, null);
  }

  /** The same plan under a request id. */
  public ImportPlan withRequestId(String id) {
    return new ImportPlan(kind, parts, params, id);
  }
}
