package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migration is one versioned schema change. Statements are written once with
// placeholders that differ between the engines: {{id}} an auto-increment primary key,
// {{ts}} a timestamp, {{amount}} a uint256 amount, {{bool}} a boolean.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are applied in order, each in its own transaction, and never edited
// once released: a change is a new migration.
var migrations = []migration{
	{1, "registry core", `
CREATE TABLE sellers (
	id {{id}},
	legal_name TEXT NOT NULL,
	corporate_number TEXT NOT NULL UNIQUE,
	fsa_registration TEXT NOT NULL,
	licence TEXT NOT NULL,
	membership TEXT NOT NULL,
	status TEXT NOT NULL,
	status_effective_at {{ts}} NOT NULL,
	status_reason TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE TABLE issuances (
	id {{id}},
	lead_seller_id BIGINT NOT NULL REFERENCES sellers(id),
	issuer_name TEXT NOT NULL,
	token_name TEXT NOT NULL,
	token_symbol TEXT NOT NULL,
	decimals INTEGER NOT NULL,
	legal_form TEXT NOT NULL,
	fiea_class TEXT NOT NULL,
	offering_type TEXT NOT NULL,
	max_holders INTEGER NOT NULL,
	lockup_end {{ts}},
	min_holding {{amount}},
	max_holding {{amount}},
	allowed_countries TEXT NOT NULL DEFAULT '',
	denied_countries TEXT NOT NULL DEFAULT '',
	product_class TEXT NOT NULL,
	product_wrapper TEXT NOT NULL,
	product_underlying TEXT NOT NULL,
	product_leverage TEXT NOT NULL DEFAULT '',
	supply_cap {{amount}},
	offering_start {{ts}},
	offering_end {{ts}},
	status TEXT NOT NULL,
	paused {{bool}} NOT NULL DEFAULT FALSE,
	chain_id BIGINT NOT NULL DEFAULT 0,
	token_address TEXT NOT NULL DEFAULT '',
	registry_address TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE INDEX issuances_lead ON issuances(lead_seller_id, id);
CREATE TABLE issuance_sellers (
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	seller_id BIGINT NOT NULL REFERENCES sellers(id),
	PRIMARY KEY (issuance_id, seller_id)
);
CREATE INDEX issuance_sellers_seller ON issuance_sellers(seller_id, issuance_id);
CREATE TABLE investors (
	id {{id}},
	seller_id BIGINT NOT NULL REFERENCES sellers(id),
	customer_ref TEXT NOT NULL,
	person_type TEXT NOT NULL,
	residence_country TEXT NOT NULL,
	date_of_birth {{ts}},
	kyc_status TEXT NOT NULL,
	kyc_method TEXT NOT NULL DEFAULT '',
	kyc_verified_at {{ts}},
	kyc_review_due {{ts}},
	sanctions TEXT NOT NULL,
	sanctions_checked_at {{ts}},
	antisocial TEXT NOT NULL,
	antisocial_checked_at {{ts}},
	frozen {{bool}} NOT NULL DEFAULT FALSE,
	frozen_reason TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL,
	UNIQUE (seller_id, customer_ref)
);
CREATE TABLE investor_categories (
	investor_id BIGINT NOT NULL REFERENCES investors(id),
	category TEXT NOT NULL,
	valid_from {{ts}} NOT NULL,
	valid_to {{ts}} NOT NULL,
	PRIMARY KEY (investor_id, category)
);
CREATE TABLE wallets (
	address TEXT PRIMARY KEY,
	investor_id BIGINT NOT NULL REFERENCES investors(id),
	label TEXT NOT NULL DEFAULT '',
	frozen {{bool}} NOT NULL DEFAULT FALSE,
	created_at {{ts}} NOT NULL
);
CREATE INDEX wallets_investor ON wallets(investor_id);
CREATE TABLE whitelist_entries (
	issuance_id BIGINT NOT NULL REFERENCES issuances(id),
	investor_id BIGINT NOT NULL REFERENCES investors(id),
	status TEXT NOT NULL,
	valid_until {{ts}},
	approved_by TEXT NOT NULL,
	approved_at {{ts}} NOT NULL,
	revoked_by TEXT NOT NULL DEFAULT '',
	revoked_at {{ts}},
	sync_state TEXT NOT NULL,
	sync_tx_hash TEXT NOT NULL DEFAULT '',
	sync_block BIGINT,
	updated_at {{ts}} NOT NULL,
	PRIMARY KEY (issuance_id, investor_id)
);
CREATE INDEX whitelist_rank ON whitelist_entries(issuance_id, status, approved_at, investor_id);
CREATE TABLE api_keys (
	id TEXT PRIMARY KEY,
	hash TEXT NOT NULL,
	role TEXT NOT NULL,
	seller_id BIGINT REFERENCES sellers(id),
	name TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	revoked_at {{ts}}
);
CREATE TABLE audit_log (
	id {{id}},
	at {{ts}} NOT NULL,
	actor TEXT NOT NULL,
	actor_role TEXT NOT NULL,
	seller_id BIGINT,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	detail TEXT NOT NULL
);
CREATE INDEX audit_seller ON audit_log(seller_id, id);
CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);
`},
	{2, "audit log is append-only", `{{append_only_audit}}`},
	{3, "registry generation", `
CREATE TABLE registry_generation (
	id INTEGER PRIMARY KEY,
	gen BIGINT NOT NULL
);
INSERT INTO registry_generation (id, gen) VALUES (1, 0);
`},
	{4, "chain deployments and operations", chainSchema},                // migrate_chain.go
	{5, "transfer mirror", mirrorSchema},                                // migrate_mirror.go
	{6, "whitelist sync outbox", syncSchema},                            // migrate_sync.go
	{7, "token operation requests", opsSchema},                          // migrate_ops.go
	{8, "compliance alerts", alertsSchema},                              // migrate_alerts.go
	{9, "chain identity and sent transactions", chainWorkSchema},        // migrate_chainwork.go
	{10, "whitelist sync failures and tx versions", syncFailuresSchema}, // migrate_sync_failures.go
	{11, "cache generations per issuance and token", scopesSchema},      // migrate_scopes.go
	{12, "term changes and webhooks", termsWebhooksSchema},              // migrate_terms_webhooks.go
	{13, "personal data, register snapshots", recordsSchema},            // migrate_records.go
	{14, "approvals, locks, retired wallets", controlsSchema},           // migrate_controls.go
	{15, "chain work leases for several nodes", leasesSchema},           // migrate_leases.go
	{16, "term changes' country rule operation", termsChainSchema},      // migrate_terms_chain.go
	{17, "operations listed per issuance", operationsListSchema},        // migrate_operations_list.go
	{18, "mirror transfers keyed by position", mirrorPositionSchema},    // migrate_mirror_position.go
}

var dialectSQL = map[Dialect]map[string]string{
	SQLite: {
		"{{id}}":     "INTEGER PRIMARY KEY AUTOINCREMENT",
		"{{ts}}":     "TIMESTAMP",
		"{{amount}}": "TEXT",
		"{{bool}}":   "BOOLEAN",
		"{{append_only_audit}}": `
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
		"{{records_immutable}}":            recordsImmutableSQLite,
		"{{mirror_transfers_by_position}}": mirrorPositionSQLite,
	},
	Postgres: {
		"{{id}}":     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
		"{{ts}}":     "TIMESTAMPTZ",
		"{{amount}}": "NUMERIC(78,0)",
		"{{bool}}":   "BOOLEAN",
		"{{append_only_audit}}": `
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();`,
		"{{records_immutable}}":            recordsImmutablePostgres,
		"{{mirror_transfers_by_position}}": mirrorPositionPostgres,
	},
}

func (s *DB) render(sql string) string {
	for k, v := range dialectSQL[s.dialect] {
		sql = strings.ReplaceAll(sql, k, v)
	}
	return sql
}

// SchemaVersion returns the highest applied migration.
func (s *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.read(ctx).Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v).Error
	return v, err
}

// migrate applies every pending migration. Concurrent starters serialise on a
// lock (PostgreSQL advisory lock; SQLite's immediate write transaction).
func (s *DB) migrate(ctx context.Context) error {
	return s.migrateTo(ctx, len(migrations))
}

func (s *DB) migrateTo(ctx context.Context, target int) error {
	db := s.writer.WithContext(ctx)
	for _, m := range migrations[:target] {
		err := db.Transaction(func(tx *gorm.DB) error {
			// Lock before anything else, even creating the bookkeeping table, so
			// nodes starting together on a fresh database take turns.
			if s.dialect == Postgres {
				if err := tx.Exec(`SELECT pg_advisory_xact_lock(7355608)`).Error; err != nil {
					return err
				}
			}
			if err := tx.Exec(s.render(`CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at {{ts}} NOT NULL)`)).Error; err != nil {
				return fmt.Errorf("create schema_migrations: %w", err)
			}
			var n int64
			if err := tx.Raw(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitStatements(s.render(m.sql)) {
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("%q: %w", firstLine(stmt), err)
				}
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// splitStatements splits a script on semicolons that end a line; trigger and
// function bodies are written so that their inner semicolons never end one.
func splitStatements(script string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(script, "\n") {
		cur.WriteString(line)
		cur.WriteByte('\n')
		trimmed := strings.TrimSpace(line)
		if strings.HasSuffix(trimmed, ";") {
			if stmt := strings.TrimSpace(cur.String()); stmt != "" {
				out = append(out, stmt)
			}
			cur.Reset()
		}
	}
	if stmt := strings.TrimSpace(cur.String()); stmt != "" {
		out = append(out, stmt)
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// LatestSchemaVersion is the version a fully migrated database reports.
func LatestSchemaVersion() int { return migrations[len(migrations)-1].version }
