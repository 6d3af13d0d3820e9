package store

// alertsSchema holds compliance alerts (migration 8): a mirrored transfer into a
// wallet the registry holds ineligible. Keyed like the transfer it is about, so
// re-applying a batch adds nothing and a rewind removes it with the transfer.
const alertsSchema = `
CREATE TABLE compliance_alerts (
	id {{id}},
	chain_id BIGINT NOT NULL,
	block_hash TEXT NOT NULL,
	log_index BIGINT NOT NULL,
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	token TEXT NOT NULL,
	block_number BIGINT NOT NULL,
	tx_hash TEXT NOT NULL,
	from_addr TEXT NOT NULL,
	to_addr TEXT NOT NULL,
	amount {{amount}} NOT NULL,
	codes TEXT NOT NULL,
	created_at {{ts}} NOT NULL,
	UNIQUE (chain_id, block_hash, log_index)
);
CREATE INDEX compliance_alerts_issuance ON compliance_alerts(issuance_id, id);
`
