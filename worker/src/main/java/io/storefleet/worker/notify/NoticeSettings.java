package io.storefleet.worker.notify;

import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.service.BackupProperties;
import io.storefleet.worker.service.BackupProperty;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a server's notices go, from its backup properties (global or server level, set with
 * {@code setProperty}); read again before every routing and delivery, so a change applies at once.
 *
 * @param relay the mail relay, or null when notices are not mailed
 * @param webhooks the URLs that receive every notice
 * @param webhookSecretFile the owner-only file of the signing secret, or null
 * @param recipients the addresses that get this server's routed notices
 * @param events the operation ends notified at once to the recipients
 * @param digestTime when the daily digest of the other ends goes out, or null for no digest
 */
public record NoticeSettings(SmtpRelay relay, List<URI> webhooks, Path webhookSecretFile, List<String> recipients,
    Set<OperationState> events, LocalTime digestTime) {

  public static NoticeSettings of(BackupProperties p) {
    String host = p.effectiveValue(BackupProperty.NOTIFY_SMTP_HOST);
    String user = p.effectiveValue(BackupProperty.NOTIFY_SMTP_USER);
    String password = p.effectiveValue(BackupProperty.NOTIFY_SMTP_PASSWORD_FILE);
    List<String> sender = list(p.effectiveValue(BackupProperty.NOTIFY_SENDER));
    SmtpRelay relay = "none".equals(host) ? null : new SmtpRelay(host,
        Integer.parseInt(p.effectiveValue(BackupProperty.NOTIFY_SMTP_PORT)),
        Boolean.parseBoolean(p.effectiveValue(BackupProperty.NOTIFY_SMTP_STARTTLS)),
        "none".equals(user) ? null : user,
        "none".equals(password) ? null : Path.of(password),
        sender.isEmpty() ? BackupProperty.NOTIFY_SENDER.defaultValue() : sender.get(0));
    String secret = p.effectiveValue(BackupProperty.NOTIFY_WEBHOOK_SECRET_FILE);
    Set<OperationState> events = EnumSet.noneOf(OperationState.class);
    list(p.effectiveValue(BackupProperty.NOTIFY_EVENTS))
        .forEach(e -> events.add(OperationState.valueOf(e.toUpperCase(Locale.ROOT))));
    String digest = p.effectiveValue(BackupProperty.NOTIFY_DIGEST_TIME);
    return new NoticeSettings(relay,
        list(p.effectiveValue(BackupProperty.NOTIFY_WEBHOOKS)).stream().map(URI::create).toList(),
        "none".equals(secret) ? null : Path.of(secret),
        list(p.effectiveValue(BackupProperty.NOTIFY_RECIPIENTS)),
        events,
        "none".equals(digest) ? null : LocalTime.parse(digest));
  }

  private static List<String> list(String canonical) {
    return "none".equals(canonical) ? List.of() : Arrays.asList(canonical.split(","));
  }
}
