-- Passkeys of private mode (issue 12): a user's key in the announce URL, /{passkey}/announce.
CREATE TABLE passkeys (
  passkey    text PRIMARY KEY CHECK (passkey ~ '^[0-9a-f]{32}$'),
  name       text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz
);

-- A revoked (deleted) or changed key is dropped from every node's cache (LISTEN swarmkeeper_passkeys).
CREATE FUNCTION passkeys_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('swarmkeeper_passkeys', OLD.passkey);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER passkeys_changed AFTER DELETE OR UPDATE ON passkeys
  FOR EACH ROW EXECUTE FUNCTION passkeys_notify();
