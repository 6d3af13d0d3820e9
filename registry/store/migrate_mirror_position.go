package store

// mirrorPositionSchema re-keys mirror_transfers on (chain_id, token,
// block_number, log_index) (migration 18). A token's stored rows always form
// one chain (Apply continues its checkpoint, Rewind deletes above it), so a
// position names one log, and the key now also orders a token's transfers: the
// separate order index goes, and on SQLite the table becomes WITHOUT ROWID, so
// an ingested transfer updates three B-trees instead of five. The copy has no
// ON CONFLICT: a database holding two logs at one position is not right, and
// the migration stops on it instead of choosing one.
const mirrorPositionSchema = `{{mirror_transfers_by_position}}`

const mirrorPositionSQLite = `
CREATE TABLE mirror_transfers_by_position (
	chain_id BIGINT NOT NULL,
	token TEXT NOT NULL,
	block_number BIGINT NOT NULL,
	log_index BIGINT NOT NULL,
	block_hash TEXT NOT NULL,
	tx_hash TEXT NOT NULL,
	from_addr TEXT NOT NULL,
	to_addr TEXT NOT NULL,
	amount TEXT NOT NULL,
	PRIMARY KEY (chain_id, token, block_number, log_index)
) WITHOUT ROWID;
INSERT INTO mirror_transfers_by_position (chain_id, token, block_number, log_index, block_hash, tx_hash, from_addr, to_addr, amount)
SELECT chain_id, token, block_number, log_index, block_hash, tx_hash, from_addr, to_addr, amount FROM mirror_transfers;
DROP TABLE mirror_transfers;
ALTER TABLE mirror_transfers_by_position RENAME TO mirror_transfers;
CREATE INDEX mirror_transfers_from ON mirror_transfers(chain_id, token, from_addr, block_number, log_index);
CREATE INDEX mirror_transfers_to ON mirror_transfers(chain_id, token, to_addr, block_number, log_index);`

const mirrorPositionPostgres = `
ALTER TABLE mirror_transfers DROP CONSTRAINT mirror_transfers_pkey;
ALTER TABLE mirror_transfers ADD CONSTRAINT mirror_transfers_pkey PRIMARY KEY (chain_id, token, block_number, log_index);
DROP INDEX mirror_transfers_order;`
