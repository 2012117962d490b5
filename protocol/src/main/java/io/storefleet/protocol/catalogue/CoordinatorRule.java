package io.storefleet.protocol.catalogue;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A case the coordinator answers (or places) itself instead of routing the command to workers.
 *
 * @param answer what the coordinator does, one of the {@link Route#byCoordinator()} routes
 * @param targets the target kinds the rule applies to
 * @param when a parameter condition, or null for none
 */
public record CoordinatorRule(Route answer, Set<TargetKind> targets, ParamValue when) {

  public CoordinatorRule {
    Objects.requireNonNull(answer, "answer");
    if (!answer.byCoordinator()) {
      throw new IllegalArgumentException(answer + " is not answered by the coordinator");
    }
    targets = Set.copyOf(targets);
  }

  /** Whether the rule applies to a request with these values and this target. */
  public boolean applies(CommandSpec spec, Map<String, String> values, TargetKind target) {
    return targets.contains(target) && (when == null || when.matches(spec, values));
  }
}
