package io.storefleet.protocol.access;

/**
 * The answer to a token creation: the token text, shown this once and stored nowhere, and its record.
 *
 * @param token the bearer token to hand to the operator
 * @param record what the cluster keeps
 */
public record CreatedToken(String token, TokenRecord record) {}
