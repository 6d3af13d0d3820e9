package store

// chainSchema records deployments and long-running chain operations (migration 4).
const chainSchema = `
ALTER TABLE issuances ADD COLUMN deployment_block BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX issuances_token ON issuances(chain_id, token_address) WHERE token_address <> '';
CREATE TABLE operations (
	id {{id}},
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	seller_id BIGINT NOT NULL REFERENCES sellers(id),
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	error TEXT NOT NULL DEFAULT '',
	result TEXT NOT NULL DEFAULT '{}',
	created_by TEXT NOT NULL,
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE INDEX operations_status ON operations(status, id);
`
