package io.storefleet.worker.notify;

import io.storefleet.worker.config.SecretFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Posts a notice's JSON to a webhook, signed (see {@link WebhookSignature}); blocking, so never on an event loop. */
public class WebhookSender {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Clock clock;
  private final HttpClient http;

  public WebhookSender(Clock clock) {
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /**
   * @throws DeliveryFailure temporary on a connection failure, a timeout, 5xx, 408 and 429
   */
  void post(URI url, Path secretFile, String json) throws DeliveryFailure {
    if (secretFile == null) {
      throw new DeliveryFailure(false, "webhooks are signed but ZxBackup_NotifyWebhookSecretFile is not set;"
          + " set it to an owner-only file whose first line is the shared secret", null);
    }
    String secret;
    try {
      secret = SecretFile.read("ZxBackup_NotifyWebhookSecretFile", secretFile);
    } catch (IllegalArgumentException e) {
      throw new DeliveryFailure(false, e.getMessage(), e);
    }
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
        .header("Content-Type", "application/json; charset=utf-8")
        .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, clock.instant(), json))
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DeliveryFailure(true, "webhook " + Target.shown(url) + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage().replace(url.toString(), Target.shown(url))), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryFailure(true, "webhook " + Target.shown(url) + ": interrupted while sending", e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    String body = response.body() == null ? "" : response.body().strip();
    boolean temporary = status >= 500 || status == 408 || status == 429;
    throw new DeliveryFailure(temporary, "webhook " + Target.shown(url) + ": HTTP " + status
        + (body.isEmpty() ? "" : " " + (body.length() > 200 ? body.substring(0, 200) + "..." : body)), null);
  }
}
