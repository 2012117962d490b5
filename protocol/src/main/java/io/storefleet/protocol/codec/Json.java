package io.storefleet.protocol.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.storefleet.protocol.error.ErrorCode;
import java.io.IOException;

/**
 * The one JSON mapping of every wire type. Unknown fields are ignored so that an older node reads
 * a newer node's messages; times are ISO-8601 strings.
 */
public final class Json {
  /** The shared mapper; thread-safe once configured. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private Json() {}

  /** A value as a JSON string. */
  public static String encode(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw ErrorCode.INTERNAL.exception("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** A value as indented JSON, for people. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw ErrorCode.INTERNAL.exception("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * A JSON string read as {@code type}.
   *
   * @throws io.storefleet.protocol.error.StorefleetException MALFORMED_REQUEST when it cannot be
   *     read, or is empty or JSON {@code null}
   */
  public static <T> T decode(String json, Class<T> type) {
    if (json == null || json.isBlank()) {
      throw ErrorCode.MALFORMED_REQUEST.exception("cannot read " + type.getSimpleName() + " from an empty body");
    }
    T value;
    try {
      value = MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw ErrorCode.MALFORMED_REQUEST.exception(
          "cannot read " + type.getSimpleName() + " from JSON: " + e.getMessage());
    }
    if (value == null) {
      throw ErrorCode.MALFORMED_REQUEST.exception("cannot read " + type.getSimpleName() + " from JSON null");
    }
    return value;
  }

  /** A value as a JSON tree. */
  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** A JSON tree read as {@code type}. */
  public static <T> T fromTree(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw ErrorCode.MALFORMED_REQUEST.exception(
          "cannot read " + type.getSimpleName() + " from JSON: " + e.getOriginalMessage());
    }
  }
}
