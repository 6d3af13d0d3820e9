package store

// syncFailuresSchema (migration 10) lets the whitelist sync survive a wallet
// the chain refuses, a stuck or dropped transaction and a reorg:
//
//   - whitelist_outbox.investor_id: the investor a queued change belongs to,
//     so the entry's sync state follows a wallet even after it was removed;
//   - whitelist_batches.tx_hashes: every version of a batch's transaction
//     (replacements with higher fees share its nonce), any of which settles it;
//     sent_block: the head when the latest version was signed, to tell a stuck
//     one; block_hash: the block a CONFIRMED batch was mined in, rechecked
//     while a reorg within the bound could still remove it;
//   - whitelist_sync_failures: wallets the chain refused, with the decoded
//     reason; their entries are FAILED until a change queues them again.
const syncFailuresSchema = `
ALTER TABLE whitelist_outbox ADD COLUMN investor_id BIGINT;
ALTER TABLE whitelist_batches ADD COLUMN tx_hashes TEXT NOT NULL DEFAULT '';
ALTER TABLE whitelist_batches ADD COLUMN sent_block BIGINT NOT NULL DEFAULT 0;
ALTER TABLE whitelist_batches ADD COLUMN block_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX whitelist_batches_block ON whitelist_batches(status, block);
CREATE TABLE whitelist_sync_failures (
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	wallet TEXT NOT NULL,
	investor_id BIGINT,
	reason TEXT NOT NULL,
	attempts INTEGER NOT NULL,
	failed_at {{ts}} NOT NULL,
	PRIMARY KEY (issuance_id, wallet)
);
CREATE INDEX whitelist_sync_failures_entry ON whitelist_sync_failures(issuance_id, investor_id);
`
