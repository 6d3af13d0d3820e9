package store

// syncSchema holds the whitelist sync outbox and the batches sent from it.
const syncSchema = `
CREATE TABLE whitelist_outbox (
	id {{id}},
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	wallet TEXT NOT NULL,
	enqueued_at {{ts}} NOT NULL,
	batch_id BIGINT
);
CREATE INDEX whitelist_outbox_pending ON whitelist_outbox(issuance_id, batch_id, id);
CREATE TABLE whitelist_batches (
	id {{id}},
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	seq BIGINT NOT NULL,
	tx_hash TEXT NOT NULL,
	raw_tx TEXT NOT NULL,
	status TEXT NOT NULL,
	block BIGINT,
	reason TEXT NOT NULL DEFAULT '',
	wallets TEXT NOT NULL,
	sent_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE INDEX whitelist_batches_open ON whitelist_batches(status, id);
`
