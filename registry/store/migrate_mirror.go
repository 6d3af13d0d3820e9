package store

// mirrorSchema holds the transfer mirror's tables (migration 5).
//
// mirror_transfers holds the raw Transfer logs and is the only source of truth;
// mirror_balances is derived from it (recomputed per touched wallet, never
// patched by +/-) and can be rebuilt at any time. Every row above a token's
// checkpoint is absent: Apply writes rows and checkpoint in one transaction,
// Rewind deletes rows and moves the checkpoint in one transaction.
// Addresses and hashes are lower-case 0x hex.
const mirrorSchema = `
CREATE TABLE mirror_checkpoints (
	chain_id BIGINT NOT NULL,
	token TEXT NOT NULL,
	block_number BIGINT NOT NULL,
	block_hash TEXT NOT NULL,
	updated_at {{ts}} NOT NULL,
	PRIMARY KEY (chain_id, token)
);
CREATE TABLE mirror_blocks (
	chain_id BIGINT NOT NULL,
	token TEXT NOT NULL,
	number BIGINT NOT NULL,
	hash TEXT NOT NULL,
	parent_hash TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (chain_id, token, number)
);
CREATE TABLE mirror_transfers (
	chain_id BIGINT NOT NULL,
	block_hash TEXT NOT NULL,
	log_index BIGINT NOT NULL,
	token TEXT NOT NULL,
	block_number BIGINT NOT NULL,
	tx_hash TEXT NOT NULL,
	from_addr TEXT NOT NULL,
	to_addr TEXT NOT NULL,
	amount {{amount}} NOT NULL,
	PRIMARY KEY (chain_id, block_hash, log_index)
);
CREATE INDEX mirror_transfers_order ON mirror_transfers(chain_id, token, block_number, log_index);
CREATE INDEX mirror_transfers_from ON mirror_transfers(chain_id, token, from_addr, block_number, log_index);
CREATE INDEX mirror_transfers_to ON mirror_transfers(chain_id, token, to_addr, block_number, log_index);
CREATE TABLE mirror_balances (
	chain_id BIGINT NOT NULL,
	token TEXT NOT NULL,
	wallet TEXT NOT NULL,
	balance {{amount}} NOT NULL,
	PRIMARY KEY (chain_id, token, wallet)
);
`
