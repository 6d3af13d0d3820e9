package store

// leasesSchema holds what several nodes on one PostgreSQL database share to
// split the chain work (see registry/lease.go): the nodes' heartbeats, one
// lease per issuance, and one nonce lease per signing key and chain. SQLite
// has one node and leaves these tables empty. Idempotent on both engines.
const leasesSchema = `
CREATE TABLE IF NOT EXISTS chain_nodes (
	id TEXT PRIMARY KEY,
	started_at {{ts}} NOT NULL,
	heartbeat_at {{ts}} NOT NULL,
	expires_at {{ts}} NOT NULL
);
CREATE TABLE IF NOT EXISTS chain_leases (
	issuance_id BIGINT PRIMARY KEY,
	owner TEXT NOT NULL,
	epoch BIGINT NOT NULL,
	acquired_at {{ts}} NOT NULL,
	expires_at {{ts}} NOT NULL
);
CREATE INDEX IF NOT EXISTS chain_leases_owner ON chain_leases(owner, expires_at);
CREATE TABLE IF NOT EXISTS nonce_leases (
	chain_id BIGINT NOT NULL,
	sender TEXT NOT NULL,
	owner TEXT NOT NULL,
	epoch BIGINT NOT NULL,
	expires_at {{ts}} NOT NULL,
	PRIMARY KEY (chain_id, sender)
);
`
