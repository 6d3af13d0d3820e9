package store

// controlsSchema adds the post-issuance transfer controls: transfer approval
// (譲渡承認), holder locks and retired wallets. Both engines run DDL inside the
// migration's transaction, so an interrupted run leaves nothing behind and
// runs again whole; the tables and indexes say IF NOT EXISTS besides.
//
//   - issuances.transfer_approval_required: the issuance's term;
//   - transfer_approvals: each application (from, to, amount), its decision
//     and the operation that records it on-chain;
//   - holder_locks: each lock with its reason, reference, release time and
//     the operations that freeze and unfreeze it;
//   - wallets.retired_at: a wallet replaced by a recovery; it stays frozen
//     and receives nothing.
const controlsSchema = `
ALTER TABLE issuances ADD COLUMN transfer_approval_required {{bool}} NOT NULL DEFAULT FALSE;
ALTER TABLE wallets ADD COLUMN retired_at {{ts}};
CREATE TABLE IF NOT EXISTS transfer_approvals (
	id {{id}},
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	seller_id BIGINT NOT NULL,
	from_wallet TEXT NOT NULL,
	to_wallet TEXT NOT NULL,
	amount {{amount}} NOT NULL,
	status TEXT NOT NULL,
	expires_at {{ts}} NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	decided_by TEXT NOT NULL DEFAULT '',
	decided_at {{ts}},
	reason TEXT NOT NULL DEFAULT '',
	operation_id BIGINT,
	requested_by TEXT NOT NULL,
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE INDEX IF NOT EXISTS transfer_approvals_match ON transfer_approvals(issuance_id, from_wallet, to_wallet, status);
CREATE TABLE IF NOT EXISTS holder_locks (
	id {{id}},
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	wallet TEXT NOT NULL,
	amount {{amount}} NOT NULL,
	reason TEXT NOT NULL,
	reference TEXT NOT NULL,
	release_at {{ts}},
	status TEXT NOT NULL,
	lock_operation_id BIGINT NOT NULL,
	release_operation_id BIGINT,
	released_by TEXT NOT NULL DEFAULT '',
	released_at {{ts}},
	created_by TEXT NOT NULL,
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE INDEX IF NOT EXISTS holder_locks_wallet ON holder_locks(issuance_id, wallet, status);
CREATE INDEX IF NOT EXISTS holder_locks_due ON holder_locks(status, release_at);
`
