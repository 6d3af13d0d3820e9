package store

// chainWorkSchema (migration 9) makes the node's chain work answerable for what
// it sent and for which chain it sent it to:
//
//   - chain_identities: the genesis hash of every chain id the node has seen;
//   - issuances.genesis_hash: the chain a deployment lives on, checked on every
//     pass; chain_halt says why its chain work is halted (” = running);
//   - chain_halts: one alert row per halt, cleared when the deployment is retired;
//   - retired_deployments: deployments taken out of service, whose mirrored
//     history stays readable under mirror_key (a chain key of their own);
//   - operation_txs: every signed transaction of an operation, recorded before
//     it is broadcast, so a crash re-sends the same bytes or finds them mined
//     (a hash is not unique: a reset chain can see the very same bytes again);
//   - operations.owner / heartbeat_at: which node runs an operation, so a node
//     resumes its own at start and takes over another's only once it is silent.
const chainWorkSchema = `
CREATE TABLE chain_identities (
	chain_id BIGINT PRIMARY KEY,
	genesis_hash TEXT NOT NULL,
	first_seen {{ts}} NOT NULL
);
ALTER TABLE issuances ADD COLUMN genesis_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE issuances ADD COLUMN chain_halt TEXT NOT NULL DEFAULT '';
CREATE TABLE chain_halts (
	id {{id}},
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	chain_id BIGINT NOT NULL,
	token TEXT NOT NULL,
	reason TEXT NOT NULL,
	created_at {{ts}} NOT NULL,
	cleared_at {{ts}}
);
CREATE INDEX chain_halts_issuance ON chain_halts(issuance_id, id);
CREATE TABLE retired_deployments (
	id {{id}},
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	chain_id BIGINT NOT NULL,
	genesis_hash TEXT NOT NULL,
	token_address TEXT NOT NULL,
	registry_address TEXT NOT NULL,
	deployment_block BIGINT NOT NULL,
	mirror_key BIGINT NOT NULL,
	reason TEXT NOT NULL,
	retired_by TEXT NOT NULL,
	retired_at {{ts}} NOT NULL
);
CREATE INDEX retired_deployments_issuance ON retired_deployments(issuance_id, id);
CREATE TABLE operation_txs (
	id {{id}},
	operation_id BIGINT NOT NULL REFERENCES operations(id),
	step INTEGER NOT NULL,
	nonce BIGINT NOT NULL,
	tx_hash TEXT NOT NULL,
	raw_tx TEXT NOT NULL,
	contract_address TEXT NOT NULL DEFAULT '',
	genesis_hash TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL
);
CREATE INDEX operation_txs_operation ON operation_txs(operation_id, step, id);
CREATE INDEX operation_txs_contract ON operation_txs(contract_address) WHERE contract_address <> '';
ALTER TABLE operations ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE operations ADD COLUMN heartbeat_at {{ts}};
`
