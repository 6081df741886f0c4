-- Completed counts (issue 12): one row per swarm that has been completed, registered or not,
-- written behind in batches (one upsert statement a flush, a row per swarm in it) by every node,
-- each adding what it counted since its last flush. Counts of unregistered swarms are pruned once
-- seen_at (the last completion written) is older than completed.retention-days; registered
-- torrents keep theirs. A row costs about 160 bytes with its two index entries (measured: 3.8 MB
-- for 23,335 swarms): a million swarms ~160 MB, rather than a row per announce.
CREATE TABLE completions (
  swarm_key bytea PRIMARY KEY CHECK (octet_length(swarm_key) = 20),
  completed bigint NOT NULL CHECK (completed >= 0),
  seen_at   timestamptz NOT NULL DEFAULT now()
);

-- The pruning's range scan.
CREATE INDEX completions_seen_at ON completions (seen_at);

-- One place for a count: a torrent's is its swarm's row here (the registry joins it in).
ALTER TABLE torrents DROP COLUMN completed;
