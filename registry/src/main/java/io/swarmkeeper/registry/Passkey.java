package io.swarmkeeper.registry;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * A private tracker's key for one user: 32 hex digits (128 random bits) in the announce URL.
 *
 * @param expiresAt when it stops working, or null for never
 */
public record Passkey(String key, String name, OffsetDateTime createdAt, OffsetDateTime expiresAt) {
  /** Whether it works at {@code now}. */
  public boolean validAt(OffsetDateTime now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("passkey", key)
        .put("name", name)
        .put("created_at", createdAt == null ? null : createdAt.toInstant().toString())
        .put("expires_at", expiresAt == null ? null : expiresAt.toInstant().toString());
  }
}
