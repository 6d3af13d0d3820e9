package store

// scopesSchema (migration 11) scopes cache invalidation to what changed.
// registry_generation (migration 3) stays the shared scope: keys, sellers,
// investors and wallets, which every issuance's facts may read. Beside it:
//
//   - issuance_generation: one row per issuance, bumped by writes to that
//     issuance's own facts (its row, status, deployment, whitelist);
//   - mirror_generation: one row per mirrored token, bumped by a batch that
//     changes its balances (Apply with transfers, Rewind).
//
// Rows are never deleted, so every counter only grows: a cache may serve any
// facts stamped at or above the counters a request read.
const scopesSchema = `
CREATE TABLE issuance_generation (
	issuance_id BIGINT PRIMARY KEY,
	gen BIGINT NOT NULL
);
INSERT INTO issuance_generation (issuance_id, gen) SELECT id, 1 FROM issuances;
CREATE TABLE mirror_generation (
	chain_id BIGINT NOT NULL,
	token TEXT NOT NULL,
	gen BIGINT NOT NULL,
	PRIMARY KEY (chain_id, token)
);
INSERT INTO mirror_generation (chain_id, token, gen) SELECT chain_id, token, 1 FROM mirror_checkpoints;
`
