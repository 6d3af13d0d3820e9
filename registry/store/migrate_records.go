package store

// recordsSchema holds the back office's records (issue 9): personal data and
// register snapshots, and the block timestamps a register at a record date is
// found by.
//
// investor_personal_data keeps every version of an investor's personal data,
// valid over [valid_from, valid_to) (valid_to NULL: current), as ciphertext
// only: the record sealed under its own data key, the data key wrapped under
// the master key named by key_id (see registry/sealing). A new version closes
// the previous one; a rotation rewrites key_id and wrapped_key only. A
// version's identity, start and ciphertext never change (the trigger refuses
// it), so a register snapshot can name the versions it showed.
//
// register_snapshots and register_snapshot_rows are finalised registers; both
// are append-only. A snapshot's lines are written before its own row, which
// goes in last with the totals and hash of the lines, in the same transaction:
// the lines' reference to it is checked at commit.
//
// mirror_blocks.block_time is each stored block's timestamp (Unix seconds),
// NULL for blocks mirrored before this migration.
const recordsSchema = `
CREATE TABLE investor_personal_data (
	investor_id BIGINT NOT NULL REFERENCES investors(id),
	version INTEGER NOT NULL,
	valid_from {{ts}} NOT NULL,
	valid_to {{ts}},
	key_id TEXT NOT NULL,
	wrapped_key TEXT NOT NULL,
	ciphertext TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at {{ts}} NOT NULL,
	PRIMARY KEY (investor_id, version)
);
CREATE INDEX investor_personal_data_key ON investor_personal_data(key_id);
ALTER TABLE mirror_blocks ADD COLUMN block_time BIGINT;
CREATE INDEX mirror_blocks_time ON mirror_blocks(chain_id, token, block_time);
CREATE TABLE register_snapshots (
	id {{id}},
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	mirror_key BIGINT NOT NULL,
	chain_id BIGINT NOT NULL,
	token TEXT NOT NULL,
	record_date TEXT NOT NULL,
	block_number BIGINT NOT NULL,
	block_hash TEXT NOT NULL,
	block_time BIGINT,
	names_as_of {{ts}} NOT NULL,
	total_supply {{amount}} NOT NULL,
	investors INTEGER NOT NULL,
	wallets INTEGER NOT NULL,
	unattributed_wallets INTEGER NOT NULL,
	without_personal_data INTEGER NOT NULL,
	balance {{amount}} NOT NULL,
	sha256 TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at {{ts}} NOT NULL,
	UNIQUE (issuance_id, mirror_key, token, record_date, block_number)
);
CREATE TABLE register_snapshot_rows (
	snapshot_id BIGINT NOT NULL REFERENCES register_snapshots(id) DEFERRABLE INITIALLY DEFERRED,
	seq INTEGER NOT NULL,
	investor_id BIGINT,
	seller_id BIGINT,
	personal_version INTEGER,
	wallets TEXT NOT NULL,
	balance {{amount}} NOT NULL,
	PRIMARY KEY (snapshot_id, seq)
);
{{records_immutable}}
`

// The engines' forms of {{records_immutable}}: snapshots are append-only, and
// a personal data version keeps its identity, start and ciphertext.
const (
	recordsImmutableSQLite = `
CREATE TRIGGER register_snapshots_no_update BEFORE UPDATE ON register_snapshots
BEGIN SELECT RAISE(ABORT, 'register snapshots never change'); END;
CREATE TRIGGER register_snapshots_no_delete BEFORE DELETE ON register_snapshots
BEGIN SELECT RAISE(ABORT, 'register snapshots never change'); END;
CREATE TRIGGER register_snapshot_rows_no_update BEFORE UPDATE ON register_snapshot_rows
BEGIN SELECT RAISE(ABORT, 'register snapshots never change'); END;
CREATE TRIGGER register_snapshot_rows_no_delete BEFORE DELETE ON register_snapshot_rows
BEGIN SELECT RAISE(ABORT, 'register snapshots never change'); END;
CREATE TRIGGER personal_data_keeps_content BEFORE UPDATE OF investor_id, version, valid_from, ciphertext ON investor_personal_data
BEGIN SELECT RAISE(ABORT, 'a personal data version keeps its content'); END;
CREATE TRIGGER personal_data_no_delete BEFORE DELETE ON investor_personal_data
BEGIN SELECT RAISE(ABORT, 'personal data history is kept'); END;`
	recordsImmutablePostgres = `
CREATE FUNCTION register_snapshot_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'register snapshots never change'; END $$;
CREATE TRIGGER register_snapshots_no_change BEFORE UPDATE OR DELETE ON register_snapshots
FOR EACH ROW EXECUTE FUNCTION register_snapshot_immutable();
CREATE TRIGGER register_snapshot_rows_no_change BEFORE UPDATE OR DELETE ON register_snapshot_rows
FOR EACH ROW EXECUTE FUNCTION register_snapshot_immutable();
CREATE FUNCTION personal_data_keeps_content() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF TG_OP = 'DELETE' OR NEW.investor_id <> OLD.investor_id OR NEW.version <> OLD.version OR NEW.valid_from <> OLD.valid_from OR NEW.ciphertext <> OLD.ciphertext THEN RAISE EXCEPTION 'a personal data version keeps its content'; END IF; RETURN NEW; END $$;
CREATE TRIGGER personal_data_keeps_content BEFORE UPDATE OR DELETE ON investor_personal_data
FOR EACH ROW EXECUTE FUNCTION personal_data_keeps_content();`
)
