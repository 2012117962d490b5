package io.storefleet.demo;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Realistic MIME messages made by the project itself (never the corpus, which must not reach a
 * live mail system): plain and HTML alternatives, attachments (CSV, a small PNG, a PDF-like
 * file), threads and replies, deterministic for a seed.
 */
final class DemoMessages {
  private static final List<String> TOPICS = List.of(
      "quarterly budget", "server migration", "team offsite", "release 4.2", "customer escalation",
      "security review", "hiring plan", "office move", "backup policy", "vendor contract");
  private static final List<String> WORDS = List.of(
      "please", "review", "the", "attached", "numbers", "before", "Thursday", "we", "need", "a",
      "decision", "on", "scope", "and", "timeline", "thanks", "for", "your", "help", "meeting",
      "notes", "follow", "up", "with", "details", "draft", "final", "approved", "pending", "update");
  private static final DateTimeFormatter RFC822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);
  /** A 1x1 PNG. */
  private static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

  private final Random random;

  DemoMessages(long seed) {
    this.random = new Random(seed);
  }

  /** One message from {@code from} to {@code to}; every fourth has an attachment. */
  byte[] message(String from, String to, int n) {
    String topic = TOPICS.get(random.nextInt(TOPICS.size()));
    boolean reply = random.nextInt(3) == 0;
    String subject = (reply ? "Re: " : "") + capitalize(topic) + " (" + (n + 1) + ")";
    ZonedDateTime date = ZonedDateTime.of(2026, 1 + random.nextInt(10), 1 + random.nextInt(28),
        8 + random.nextInt(10), random.nextInt(60), random.nextInt(60), 0, ZoneOffset.UTC);
    String text = paragraph(20 + random.nextInt(60)) + "\n\n" + paragraph(10 + random.nextInt(30))
        + "\n\n-- \n" + from + "\n";
    String boundary = "=_sf_" + Long.toHexString(random.nextLong());
    String alt = "=_alt_" + Long.toHexString(random.nextLong());
    StringBuilder sb = new StringBuilder();
    sb.append("Return-Path: <").append(from).append(">\r\n");
    sb.append("From: ").append(display(from)).append(" <").append(from).append(">\r\n");
    sb.append("To: ").append(display(to)).append(" <").append(to).append(">\r\n");
    sb.append("Subject: ").append(subject).append("\r\n");
    sb.append("Date: ").append(RFC822.format(date)).append("\r\n");
    sb.append("Message-ID: <").append(Long.toHexString(random.nextLong())).append("@demo.storefleet>\r\n");
    if (reply) {
      sb.append("In-Reply-To: <").append(Long.toHexString(random.nextLong())).append("@demo.storefleet>\r\n");
    }
    sb.append("MIME-Version: 1.0\r\n");
    boolean attach = n % 4 == 3;
    if (attach) {
      sb.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n");
      sb.append("This is a multi-part message in MIME format.\r\n\r\n--").append(boundary).append("\r\n");
    }
    sb.append("Content-Type: multipart/alternative; boundary=\"").append(alt).append("\"\r\n\r\n");
    sb.append("--").append(alt).append("\r\nContent-Type: text/plain; charset=utf-8\r\n")
        .append("Content-Transfer-Encoding: 8bit\r\n\r\n").append(text.replace("\n", "\r\n")).append("\r\n");
    sb.append("--").append(alt).append("\r\nContent-Type: text/html; charset=utf-8\r\n")
        .append("Content-Transfer-Encoding: 8bit\r\n\r\n<html><body><p>")
        .append(text.replace("\n\n", "</p><p>").replace("\n", "<br>")).append("</p></body></html>\r\n");
    sb.append("--").append(alt).append("--\r\n");
    if (attach) {
      switch (n % 3) {
        case 0 -> part(sb, boundary, "text/csv", topic.replace(' ', '-') + ".csv", csv().getBytes(StandardCharsets.UTF_8));
        case 1 -> part(sb, boundary, "image/png", "chart.png", PNG);
        default -> part(sb, boundary, "application/pdf", "report.pdf", pdf(topic));
      }
      sb.append("--").append(boundary).append("--\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void part(StringBuilder sb, String boundary, String type, String name, byte[] data) {
    sb.append("--").append(boundary).append("\r\nContent-Type: ").append(type).append("; name=\"").append(name)
        .append("\"\r\nContent-Disposition: attachment; filename=\"").append(name)
        .append("\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
        .append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data))
        .append("\r\n");
  }

  private String csv() {
    StringBuilder sb = new StringBuilder("month,amount,owner\n");
    for (int i = 1; i <= 12; i++) {
      sb.append(i).append(',').append(1000 + random.nextInt(9000)).append(",team").append(random.nextInt(5)).append('\n');
    }
    return sb.toString();
  }

  private byte[] pdf(String topic) {
    String body = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0>>endobj\n"
        + "% " + topic + " " + paragraph(40) + "\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    return body.getBytes(StandardCharsets.ISO_8859_1);
  }

  private String paragraph(int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      String w = WORDS.get(random.nextInt(WORDS.size()));
      sb.append(i == 0 ? capitalize(w) : w).append(i == words - 1 ? "." : (random.nextInt(12) == 0 ? ", " : " "));
    }
    return sb.toString();
  }

  private static String display(String address) {
    String local = address.substring(0, address.indexOf('@'));
    return capitalize(local.replace('.', ' '));
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
