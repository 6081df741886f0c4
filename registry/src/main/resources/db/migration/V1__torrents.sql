-- The torrent registry (issue 12). One row per published torrent; its piece hashes in blocks.
CREATE TABLE torrents (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  info_hash    bytea UNIQUE CHECK (octet_length(info_hash) = 20),
  info_hash_v2 bytea UNIQUE CHECK (octet_length(info_hash_v2) = 32),
  -- What trackers key the swarm by: info_hash, or BEP 52's first 20 bytes of info_hash_v2.
  swarm_key    bytea NOT NULL UNIQUE CHECK (octet_length(swarm_key) = 20),
  name         text NOT NULL,
  piece_length bigint NOT NULL CHECK (piece_length > 0),
  total_size   bigint NOT NULL CHECK (total_size >= 0),
  file_count   integer NOT NULL CHECK (file_count > 0),
  piece_count  integer NOT NULL CHECK (piece_count >= 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  completed    bigint NOT NULL DEFAULT 0,
  torrent      bytea NOT NULL,
  CHECK (info_hash IS NOT NULL OR info_hash_v2 IS NOT NULL)
);

-- Piece hashes, PIECES_PER_ROW (64) to a row: row `index` k holds the hashes of pieces 64k to
-- 64k + 63, concatenated (20 bytes each for v1, 32 for v2-only). A row per piece would make a
-- million torrents of 2,000 pieces two billion rows (ARCHITECTURE.md, "The torrent registry").
CREATE TABLE pieces (
  torrent_id bigint NOT NULL REFERENCES torrents (id) ON DELETE CASCADE,
  index      integer NOT NULL CHECK (index >= 0),
  hash       bytea NOT NULL,
  PRIMARY KEY (torrent_id, index)
);

-- Every node caches which torrents are registered; a publish or a delete anywhere tells them all
-- (LISTEN swarmkeeper_torrents), with the swarm key in hex.
CREATE FUNCTION torrents_notify() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('swarmkeeper_torrents', encode(OLD.swarm_key, 'hex'));
  ELSE
    PERFORM pg_notify('swarmkeeper_torrents', encode(NEW.swarm_key, 'hex'));
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER torrents_changed AFTER INSERT OR DELETE ON torrents
  FOR EACH ROW EXECUTE FUNCTION torrents_notify();
