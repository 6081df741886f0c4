package io.swarmkeeper.registry;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/**
 * A published torrent as the registry keeps it (without its bytes and piece hashes).
 *
 * @param infoHashV1 20 bytes, or null for a v2-only torrent
 * @param infoHashV2 32 bytes, or null for a v1-only torrent
 * @param completed downloads completed, as last written
 */
public record TorrentRecord(
    long id,
    byte[] infoHashV1,
    byte[] infoHashV2,
    String name,
    long pieceLength,
    long totalSize,
    int fileCount,
    int pieceCount,
    OffsetDateTime createdAt,
    long completed) {

  /** The hash trackers key its swarm by: v1's, or BEP 52's first 20 bytes of v2's. */
  public byte[] swarmKey() {
    return TorrentFile.swarmKey(infoHashV1, infoHashV2);
  }

  /** The record as the API answers it, with a magnet link naming {@code trackerUrls}. */
  public JsonObject toJson(Iterable<String> trackerUrls) {
    HexFormat hex = HexFormat.of();
    JsonObject json =
        new JsonObject()
            .put("info_hash", infoHashV1 == null ? null : hex.formatHex(infoHashV1))
            .put("info_hash_v2", infoHashV2 == null ? null : hex.formatHex(infoHashV2))
            .put("name", name)
            .put("piece_length", pieceLength)
            .put("total_size", totalSize)
            .put("files", fileCount)
            .put("pieces", pieceCount)
            .put("created_at", createdAt == null ? null : createdAt.toInstant().toString())
            .put("completed", completed);
    json.put("magnet", Magnet.link(this, trackerUrls));
    return json;
  }
}
