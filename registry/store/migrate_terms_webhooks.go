package store

// termsWebhooksSchema adds term changes and webhooks. Every statement is
// idempotent (IF NOT EXISTS), so a migration interrupted between statements
// on an engine without transactional DDL, or re-run by hand, is harmless.
//
//   - term_changes: each change of an issuance's terms, scheduled or applied,
//     with who asked, when, why, what it replaced and the SET_TERMS operation
//     that carries it on-chain;
//   - webhook_events: the outbox of events, written in the transaction of the
//     change they report; fanned_out once turned into deliveries;
//   - webhook_streams: one row per issuance whose lock orders its events'
//     writers, so an issuance's events commit in the order of their ids;
//   - webhook_subscriptions: URLs, secrets and event types per seller (or the
//     operator, seller_id NULL); deleted ones stay for their delivery log;
//   - webhook_deliveries: one event for one subscription, delivered in id
//     order per (subscription, issuance);
//   - webhook_attempts: every POST of a delivery and how it ended.
const termsWebhooksSchema = `
CREATE TABLE IF NOT EXISTS term_changes (
	id {{id}},
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	seller_id BIGINT NOT NULL,
	changes TEXT NOT NULL,
	previous TEXT NOT NULL DEFAULT '',
	effective_at {{ts}} NOT NULL,
	reason TEXT NOT NULL,
	status TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	created_at {{ts}} NOT NULL,
	applied_at {{ts}},
	cancelled_by TEXT NOT NULL DEFAULT '',
	cancelled_at {{ts}},
	cancel_reason TEXT NOT NULL DEFAULT '',
	error TEXT NOT NULL DEFAULT '',
	on_chain TEXT NOT NULL DEFAULT '',
	operation_id BIGINT
);
CREATE INDEX IF NOT EXISTS term_changes_due ON term_changes(status, effective_at, id);
CREATE INDEX IF NOT EXISTS term_changes_issuance ON term_changes(issuance_id, id);
CREATE TABLE IF NOT EXISTS webhook_streams (
	issuance_id BIGINT PRIMARY KEY,
	seq BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_events (
	id {{id}},
	type TEXT NOT NULL,
	issuance_id BIGINT NOT NULL,
	seq BIGINT NOT NULL,
	public {{bool}} NOT NULL DEFAULT FALSE,
	parties TEXT NOT NULL DEFAULT '',
	data TEXT NOT NULL,
	created_at {{ts}} NOT NULL,
	fanned_out {{bool}} NOT NULL DEFAULT FALSE
);
CREATE INDEX IF NOT EXISTS webhook_events_pending ON webhook_events(fanned_out, id);
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
	id {{id}},
	seller_id BIGINT REFERENCES sellers(id),
	url TEXT NOT NULL,
	secret TEXT NOT NULL,
	event_types TEXT NOT NULL,
	active {{bool}} NOT NULL DEFAULT TRUE,
	created_by TEXT NOT NULL,
	created_at {{ts}} NOT NULL,
	deleted_at {{ts}}
);
CREATE INDEX IF NOT EXISTS webhook_subscriptions_seller ON webhook_subscriptions(seller_id, id);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
	id {{id}},
	subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions(id),
	event_id BIGINT NOT NULL REFERENCES webhook_events(id),
	issuance_id BIGINT NOT NULL,
	status TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at {{ts}} NOT NULL,
	delivered_at {{ts}},
	created_at {{ts}} NOT NULL,
	UNIQUE (subscription_id, event_id)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_stream ON webhook_deliveries(subscription_id, issuance_id, status, id);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at, id);
CREATE TABLE IF NOT EXISTS webhook_attempts (
	id {{id}},
	delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries(id),
	attempt INTEGER NOT NULL,
	at {{ts}} NOT NULL,
	status_code INTEGER NOT NULL DEFAULT 0,
	error TEXT NOT NULL DEFAULT '',
	duration_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS webhook_attempts_delivery ON webhook_attempts(delivery_id, id);
`
