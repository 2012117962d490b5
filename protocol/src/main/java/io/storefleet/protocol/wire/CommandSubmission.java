package io.storefleet.protocol.wire;

import java.util.List;

/**
 * A command as a client submits it to the coordinator's HTTP API.
 *
 * @param module {@code backup} (default) or {@code admin}
 * @param args the command name followed by its arguments, exactly as typed on the command line
 * @param target a server id, {@code all_servers}, or null to let the coordinator route it
 */
public record CommandSubmission(String module, List<String> args, String target) {}
