package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/stonode/stonode/registry"
)

// Webhooks is the webhook side of the store: the event outbox, subscriptions,
// and the deliveries the worker (registry/webhook) makes.
type Webhooks struct{ *DB }

// NewWebhooks builds the webhook service on db.
func NewWebhooks(db *DB) *Webhooks { return &Webhooks{db} }

var (
	_ registry.WebhookService = (*Webhooks)(nil)
	_ registry.WebhookOutbox  = (*Webhooks)(nil)
)

type eventRow struct {
	ID         int64 `gorm:"primaryKey"`
	Type       string
	IssuanceID int64
	Seq        int64
	Public     bool
	Parties    string
	Data       string
	CreatedAt  time.Time
	FannedOut  bool
}

func (eventRow) TableName() string { return "webhook_events" }

func (r *eventRow) domain() registry.Event {
	var parties []int64
	for _, p := range splitList(r.Parties) {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			parties = append(parties, id)
		}
	}
	return registry.Event{ID: r.ID, Type: registry.EventType(r.Type), IssuanceID: r.IssuanceID, Public: r.Public,
		Parties: parties, Data: json.RawMessage(r.Data), CreatedAt: r.CreatedAt.UTC()}
}

type subscriptionRow struct {
	ID         int64 `gorm:"primaryKey"`
	SellerID   *int64
	URL        string `gorm:"column:url"`
	Secret     string
	EventTypes string
	Active     bool
	CreatedBy  string
	CreatedAt  time.Time
	DeletedAt  *time.Time
}

func (subscriptionRow) TableName() string { return "webhook_subscriptions" }

func (r *subscriptionRow) domain() *registry.Subscription {
	types := []registry.EventType{}
	for _, t := range splitList(r.EventTypes) {
		types = append(types, registry.EventType(t))
	}
	return &registry.Subscription{ID: r.ID, SellerID: r.SellerID, URL: r.URL, EventTypes: types, Active: r.Active && r.DeletedAt == nil,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
}

type deliveryRow struct {
	ID             int64 `gorm:"primaryKey"`
	SubscriptionID int64
	EventID        int64
	IssuanceID     int64
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	DeliveredAt    *time.Time
	CreatedAt      time.Time
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

type attemptRow struct {
	ID         int64 `gorm:"primaryKey"`
	DeliveryID int64
	Attempt    int
	At         time.Time
	StatusCode int
	Error      string
	DurationMs int64
}

func (attemptRow) TableName() string { return "webhook_attempts" }

// emitEvent writes an event into the webhook outbox inside the caller's
// transaction, so it commits (and is later delivered) exactly when the change
// it reports does. Call it last in the transaction: it takes the issuance's
// stream row lock, which orders the issuance's events by commit, and holds it
// to the end.
func (s *DB) emitEvent(tx *gorm.DB, e registry.Event) error {
	return s.emitEvents(tx, []registry.Event{e})
}

// emitEvents is emitEvent for several events, in order. An event of a type
// no live subscription asks for is not written: nothing could ever deliver
// it, and a node without webhooks would otherwise write an outbox row for
// every mirrored transfer.
func (s *DB) emitEvents(tx *gorm.DB, events []registry.Event) error {
	if len(events) == 0 {
		return nil
	}
	wanted, err := s.wantedEventTypes(tx)
	if err != nil {
		return fmt.Errorf("emit event: %w", err)
	}
	kept := events[:0:0]
	for _, e := range events {
		if wanted[e.Type] {
			kept = append(kept, e)
		}
	}
	return s.writeEvents(tx, kept)
}

// writeEvents writes events whose types the caller has found wanted
// (wantedEventTypes), in order.
func (s *DB) writeEvents(tx *gorm.DB, events []registry.Event) error {
	if len(events) == 0 {
		return nil
	}
	byIssuance := map[int64]int64{}
	var order []int64
	for _, e := range events {
		if !e.Type.Valid() {
			return fmt.Errorf("emit event: unknown type %q", e.Type)
		}
		if _, ok := byIssuance[e.IssuanceID]; !ok {
			order = append(order, e.IssuanceID)
		}
		byIssuance[e.IssuanceID]++
	}
	slices.Sort(order) // lock streams in one order, so two emitters cannot deadlock
	next := map[int64]int64{}
	for _, id := range order {
		n := byIssuance[id]
		var last int64
		if err := tx.Raw(`INSERT INTO webhook_streams (issuance_id, seq) VALUES (?, ?)
ON CONFLICT (issuance_id) DO UPDATE SET seq = webhook_streams.seq + ? RETURNING seq`, id, n, n).Scan(&last).Error; err != nil {
			return fmt.Errorf("emit event: stream of issuance %d: %w", id, err)
		}
		next[id] = last - n + 1
	}
	now := tx.NowFunc()
	seqs := make([]int64, len(events))
	for i, e := range events {
		seqs[i] = next[e.IssuanceID]
		next[e.IssuanceID]++
	}
	// A mirrored batch writes an event per transfer inside the mirror's
	// transaction, so this is on its hot path: bulk inserts.
	err := s.execBulk(tx, eventInsert, nil, len(events), func(i int, args []any) []any {
		e := &events[i]
		data := string(e.Data)
		if data == "" || data == "null" {
			data = "{}"
		}
		parties := make([]string, 0, len(e.Parties))
		for _, p := range e.Parties {
			parties = append(parties, strconv.FormatInt(p, 10))
		}
		at := e.CreatedAt
		if at.IsZero() {
			at = now
		}
		return append(args, string(e.Type), e.IssuanceID, seqs[i], e.Public, strings.Join(parties, ","), data, at.UTC(), false)
	})
	if err != nil {
		return fmt.Errorf("emit event: %w", err)
	}
	return nil
}

var eventInsert = newBulkInsert("INSERT INTO webhook_events (type, issuance_id, seq, public, parties, data, created_at, fanned_out) VALUES ",
	"(?, ?, ?, ?, ?, ?, ?, ?)", "")

// subscriptionsLock orders subscribing against emitting on PostgreSQL: an
// emitter holds it shared from reading the subscriptions to its commit, a new
// subscription holds it exclusively, so every change that commits after a
// subscription was created has its events written (SQLite has one writer).
const subscriptionsLock = 7355610

// wantedEventTypes reads the event types the live subscriptions ask for.
func (s *DB) wantedEventTypes(tx *gorm.DB) (map[registry.EventType]bool, error) {
	if s.dialect == Postgres {
		if err := tx.Exec(`SELECT pg_advisory_xact_lock_shared(?)`, subscriptionsLock).Error; err != nil {
			return nil, err
		}
	}
	var lists []string
	if err := tx.Model(&subscriptionRow{}).Where("active = ? AND deleted_at IS NULL", true).Distinct().
		Pluck("event_types", &lists).Error; err != nil {
		return nil, fmt.Errorf("subscriptions: %w", err)
	}
	wanted := map[registry.EventType]bool{}
	for _, l := range lists {
		for _, t := range splitList(l) {
			wanted[registry.EventType(t)] = true
		}
	}
	return wanted, nil
}

// newEvent is registry.NewEvent for data that always marshals.
func newEvent(t registry.EventType, issuanceID int64, data any) registry.Event {
	e, err := registry.NewEvent(t, issuanceID, data)
	if err != nil {
		panic(fmt.Sprintf("event %s: %v", t, err)) // data is a map or struct of plain values
	}
	return e
}

// webhookSecretBytes is the entropy of a subscription's signing secret.
const webhookSecretBytes = 32

// CreateSubscription subscribes a URL to event types for a seller (a seller's
// own key, or the operator naming it) or for the operator.
func (s *Webhooks) CreateSubscription(ctx context.Context, r registry.SubscriptionRequest) (*registry.NewSubscription, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var sellerID *int64
	switch {
	case p.Role == registry.RoleSeller && r.SellerID != 0 && r.SellerID != p.SellerID:
		return nil, registry.Errorf(registry.EFORBIDDEN, "a seller subscribes for itself only")
	case p.Role == registry.RoleSeller:
		id := p.SellerID
		sellerID = &id
	case r.SellerID != 0:
		id := r.SellerID
		sellerID = &id
	}
	raw := make([]byte, webhookSecretBytes)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("webhook secret: %w", err)
	}
	secret := "whsec_" + base64.RawURLEncoding.EncodeToString(raw)
	types := make([]string, len(r.EventTypes))
	for i, t := range r.EventTypes {
		types[i] = string(t)
	}
	row := &subscriptionRow{SellerID: sellerID, URL: r.URL, Secret: secret, EventTypes: strings.Join(types, ","), Active: true,
		CreatedBy: p.KeyID, CreatedAt: s.now()}
	err = s.writeState(ctx, func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			if err := tx.Exec(`SELECT pg_advisory_xact_lock(?)`, subscriptionsLock).Error; err != nil {
				return err
			}
		}
		if sellerID != nil {
			if err := s.requireActiveSeller(tx, p); err != nil {
				return err
			}
			sel, err := s.sellerByID(tx, *sellerID)
			if err != nil {
				return registry.Errorf(registry.EINVALID, "seller %d does not exist", *sellerID)
			}
			if sel.Status == registry.SellerRevoked {
				return registry.Errorf(registry.ECONFLICT, "seller %d is REVOKED", *sellerID)
			}
		}
		if err := tx.Create(row).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, sellerID, "webhook.subscribe", "webhook_subscription", row.ID,
			map[string]any{"url": r.URL, "eventTypes": r.EventTypes})
	})
	if err != nil {
		return nil, err
	}
	return &registry.NewSubscription{Subscription: *row.domain(), Secret: secret}, nil
}

// visibleSubscriptions restricts q to the subscriptions p manages.
func visibleSubscriptions(q *gorm.DB, p *registry.Principal) *gorm.DB {
	if p.Role == registry.RoleSeller {
		return q.Where("seller_id = ?", p.SellerID)
	}
	return q
}

// Subscriptions lists the caller's subscriptions (the operator's: every one),
// deleted ones included (inactive).
func (s *Webhooks) Subscriptions(ctx context.Context, page registry.Page) ([]*registry.Subscription, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	page = page.Normalize()
	var rows []subscriptionRow
	if err := visibleSubscriptions(s.read(ctx).Where("id > ?", page.After), p).Order("id").Limit(page.Limit).Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]*registry.Subscription, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}

func (s *Webhooks) subscription(db *gorm.DB, p *registry.Principal, id int64) (*subscriptionRow, error) {
	var row subscriptionRow
	if err := visibleSubscriptions(db.Where("id = ?", id), p).Take(&row).Error; err != nil {
		if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
			return nil, registry.Errorf(registry.ENOTFOUND, "webhook subscription %d not found", id)
		}
		return nil, s.translate(err)
	}
	return &row, nil
}

// Subscription returns one of the caller's subscriptions.
func (s *Webhooks) Subscription(ctx context.Context, id int64) (*registry.Subscription, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	row, err := s.subscription(s.read(ctx), p, id)
	if err != nil {
		return nil, err
	}
	return row.domain(), nil
}

// DeleteSubscription stops a subscription: nothing more is fanned out to it
// and its pending deliveries fail; its log stays readable.
func (s *Webhooks) DeleteSubscription(ctx context.Context, id int64) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return err
	}
	return s.writeState(ctx, func(tx *gorm.DB) error {
		row, err := s.subscription(tx, p, id)
		if err != nil {
			return err
		}
		if row.DeletedAt != nil {
			return registry.Errorf(registry.ENOTFOUND, "webhook subscription %d not found", id)
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		now := s.now()
		if err := tx.Model(&subscriptionRow{}).Where("id = ?", id).Updates(map[string]any{"active": false, "deleted_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Model(&deliveryRow{}).Where("subscription_id = ? AND status = ?", id, string(registry.DeliveryPending)).
			Update("status", string(registry.DeliveryFailed)).Error; err != nil {
			return err
		}
		return s.appendAudit(tx, p, row.SellerID, "webhook.delete", "webhook_subscription", id, map[string]any{"url": row.URL})
	})
}

// Deliveries lists a subscription's deliveries, oldest first, each with its
// attempts.
func (s *Webhooks) Deliveries(ctx context.Context, subscriptionID int64, f registry.DeliveryFilter) ([]*registry.Delivery, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	if _, err := s.subscription(db, p, subscriptionID); err != nil {
		return nil, err
	}
	rows, err := keysetPage[deliveryRow](db.Where("subscription_id = ?", subscriptionID), f.Page, string(f.Status))
	if err != nil {
		return nil, s.translate(err)
	}
	return s.deliveries(db, rows)
}

// deliveries completes delivery rows with their event types and attempts.
func (s *Webhooks) deliveries(db *gorm.DB, rows []deliveryRow) ([]*registry.Delivery, error) {
	out := make([]*registry.Delivery, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	eventIDs := make([]int64, len(rows))
	for i, r := range rows {
		ids[i], eventIDs[i] = r.ID, r.EventID
	}
	var events []eventRow
	if err := db.Select("id", "type").Where("id IN ?", eventIDs).Find(&events).Error; err != nil {
		return nil, s.translate(err)
	}
	types := map[int64]string{}
	for _, e := range events {
		types[e.ID] = e.Type
	}
	var attempts []attemptRow
	if err := db.Where("delivery_id IN ?", ids).Order("id").Find(&attempts).Error; err != nil {
		return nil, s.translate(err)
	}
	logs := map[int64][]registry.DeliveryAttempt{}
	for _, a := range attempts {
		logs[a.DeliveryID] = append(logs[a.DeliveryID], registry.DeliveryAttempt{Attempt: a.Attempt, At: a.At.UTC(), StatusCode: a.StatusCode,
			Error: a.Error, Duration: time.Duration(a.DurationMs) * time.Millisecond})
	}
	for i, r := range rows {
		d := &registry.Delivery{ID: r.ID, SubscriptionID: r.SubscriptionID, EventID: r.EventID, EventType: registry.EventType(types[r.EventID]),
			IssuanceID: r.IssuanceID, Status: registry.DeliveryStatus(r.Status), Attempts: r.Attempts, DeliveredAt: utcPtr(r.DeliveredAt),
			CreatedAt: r.CreatedAt.UTC(), Log: logs[r.ID]}
		if d.Log == nil {
			d.Log = []registry.DeliveryAttempt{}
		}
		if r.Status == string(registry.DeliveryPending) {
			next := r.NextAttemptAt.UTC()
			d.NextAttemptAt = &next
		}
		out[i] = d
	}
	return out, nil
}

// Redeliver queues a delivery again: it becomes the next of its issuance's
// stream to the subscription, attempted at once, with a fresh allowance of
// attempts (its log keeps the earlier ones).
func (s *Webhooks) Redeliver(ctx context.Context, subscriptionID, deliveryID int64) (*registry.Delivery, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := requireRole(p, registry.RoleOperator, registry.RoleSeller); err != nil {
		return nil, err
	}
	var out *registry.Delivery
	err = s.writeState(ctx, func(tx *gorm.DB) error {
		sub, err := s.subscription(tx, p, subscriptionID)
		if err != nil {
			return err
		}
		if sub.DeletedAt != nil {
			return registry.Errorf(registry.ECONFLICT, "webhook subscription %d is deleted", subscriptionID)
		}
		if err := s.requireActiveSeller(tx, p); err != nil {
			return err
		}
		var row deliveryRow
		if err := tx.Where("id = ? AND subscription_id = ?", deliveryID, subscriptionID).Take(&row).Error; err != nil {
			if registry.ErrorCode(s.translate(err)) == registry.ENOTFOUND {
				return registry.Errorf(registry.ENOTFOUND, "delivery %d not found", deliveryID)
			}
			return err
		}
		if row.Status == string(registry.DeliveryPending) {
			return registry.Errorf(registry.ECONFLICT, "delivery %d is still pending", deliveryID)
		}
		now := s.now()
		if err := tx.Model(&deliveryRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"status": string(registry.DeliveryPending), "attempts": 0, "next_attempt_at": now, "delivered_at": nil}).Error; err != nil {
			return err
		}
		row.Status, row.Attempts, row.NextAttemptAt, row.DeliveredAt = string(registry.DeliveryPending), 0, now, nil
		ds, err := s.deliveries(tx, []deliveryRow{row})
		if err != nil {
			return err
		}
		out = ds[0]
		return s.appendAudit(tx, p, sub.SellerID, "webhook.redeliver", "webhook_delivery", row.ID,
			map[string]any{"subscriptionId": subscriptionID, "eventId": row.EventID})
	})
	return out, err
}

// writeOutbox runs fn in a plain write transaction: webhook bookkeeping is
// state no cache holds and no registry check reads, so it takes no
// generation lock and does not hold up registry writers. On PostgreSQL it
// commits without waiting for the WAL flush: what it writes (fan-out, claims,
// attempts) can be lost in a crash only by being done again — an event
// fanned out again (deliveries are unique), a claim that never was, an
// attempt repeated (delivery is at least once) — while the events themselves
// are written durably by the transactions they report.
func (s *Webhooks) writeOutbox(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.translate(s.writer.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if s.dialect == Postgres {
			if err := tx.Exec(`SET LOCAL synchronous_commit TO OFF`).Error; err != nil {
				return err
			}
		}
		return fn(tx)
	}))
}

// FanOut turns up to limit events not yet fanned out, oldest first, into
// deliveries to the active subscriptions that want them and may see them
// (registry.Event.VisibleTo, with the issuance as it is now), and reports how
// many events it handled.
func (s *Webhooks) FanOut(ctx context.Context, limit int) (int, error) {
	n := 0
	err := s.writeOutbox(ctx, func(tx *gorm.DB) error {
		// One fan-out at a time (SQLite has one writer anyway): two nodes
		// fanning out an issuance's events side by side could create their
		// deliveries out of event order.
		if s.dialect == Postgres {
			if err := tx.Exec(`SELECT pg_advisory_xact_lock(7355609)`).Error; err != nil {
				return err
			}
		}
		var events []eventRow
		if err := tx.Where("fanned_out = ?", false).Order("id").Limit(limit).Find(&events).Error; err != nil {
			return err
		}
		if len(events) == 0 {
			return nil
		}
		// A revoked seller's subscriptions receive nothing more.
		var subs []subscriptionRow
		if err := tx.Where("active = ? AND deleted_at IS NULL", true).
			Where("seller_id IS NULL OR seller_id IN (SELECT id FROM sellers WHERE status <> ?)", string(registry.SellerRevoked)).
			Order("id").Find(&subs).Error; err != nil {
			return err
		}
		issuances := map[int64]*registry.Issuance{}
		now := s.now()
		var deliveries []deliveryRow
		ids := make([]int64, len(events))
		for i := range events {
			ids[i] = events[i].ID
			e := events[i].domain()
			iss, seen := issuances[e.IssuanceID]
			if !seen {
				var err error
				iss, err = s.visibleIssuance(tx, system, e.IssuanceID)
				if err != nil && registry.ErrorCode(err) != registry.ENOTFOUND {
					return err
				}
				issuances[e.IssuanceID] = iss
			}
			for j := range subs {
				sub := subs[j].domain()
				if sub.Wants(e.Type) && e.VisibleTo(sub.Principal(), iss) {
					deliveries = append(deliveries, deliveryRow{SubscriptionID: sub.ID, EventID: e.ID, IssuanceID: e.IssuanceID,
						Status: string(registry.DeliveryPending), NextAttemptAt: now, CreatedAt: now})
				}
			}
		}
		if len(deliveries) > 0 {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(deliveries, 200).Error; err != nil {
				return err
			}
		}
		n = len(events)
		return tx.Model(&eventRow{}).Where("id IN ?", ids).Update("fanned_out", true).Error
	})
	return n, err
}

// ClaimDeliveries claims up to limit due deliveries, each the oldest pending
// one of its (subscription, issuance) stream, so a stream is delivered in
// event order, one delivery at a time. A claim lasts lease: a worker that
// dies mid-POST leaves the delivery to be attempted again then.
func (s *Webhooks) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]registry.DueDelivery, error) {
	var out []registry.DueDelivery
	err := s.writeOutbox(ctx, func(tx *gorm.DB) error {
		now := s.now()
		// Another node's claim holds its rows until it commits; skip them.
		lock := ""
		if s.dialect == Postgres {
			lock = " FOR UPDATE OF d SKIP LOCKED"
		}
		// Each stream's head is its lowest pending id: one aggregate over the
		// pending rows, whatever the planner knows of the table (a correlated
		// NOT EXISTS went quadratic on a freshly filled one).
		var rows []deliveryRow
		if err := tx.Raw(`SELECT d.* FROM webhook_deliveries d
WHERE d.id IN (SELECT MIN(p.id) FROM webhook_deliveries p WHERE p.status = ? GROUP BY p.subscription_id, p.issuance_id)
AND d.next_attempt_at <= ?
ORDER BY d.next_attempt_at, d.id LIMIT ?`+lock, string(registry.DeliveryPending), now, limit).
			Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		subIDs, eventIDs := make([]int64, 0, len(rows)), make([]int64, 0, len(rows))
		for _, r := range rows {
			subIDs, eventIDs = append(subIDs, r.SubscriptionID), append(eventIDs, r.EventID)
		}
		var subs []subscriptionRow
		if err := tx.Where("id IN ?", subIDs).Find(&subs).Error; err != nil {
			return err
		}
		byID := map[int64]*subscriptionRow{}
		for i := range subs {
			byID[subs[i].ID] = &subs[i]
		}
		var events []eventRow
		if err := tx.Where("id IN ?", eventIDs).Find(&events).Error; err != nil {
			return err
		}
		evByID := map[int64]*eventRow{}
		for i := range events {
			evByID[events[i].ID] = &events[i]
		}
		until := now.Add(lease)
		for _, r := range rows {
			if err := tx.Model(&deliveryRow{}).Where("id = ?", r.ID).Update("next_attempt_at", until).Error; err != nil {
				return err
			}
			sub, ev := byID[r.SubscriptionID], evByID[r.EventID]
			if sub == nil || ev == nil {
				return fmt.Errorf("delivery %d: its subscription or event is missing", r.ID)
			}
			out = append(out, registry.DueDelivery{DeliveryID: r.ID, SubscriptionID: r.SubscriptionID, Attempt: r.Attempts + 1,
				URL: sub.URL, Secret: sub.Secret, Event: ev.domain()})
		}
		return nil
	})
	return out, err
}

// RecordAttempt logs one attempt of a claimed delivery and settles it: a
// delivered one is done; a failed one is attempted again retryIn from now, or
// fails for good when retryIn is 0.
func (s *Webhooks) RecordAttempt(ctx context.Context, deliveryID int64, a registry.DeliveryAttempt, delivered bool, retryIn time.Duration) error {
	now := s.now()
	if a.At.IsZero() {
		a.At = now
	}
	return s.writeOutbox(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&attemptRow{DeliveryID: deliveryID, Attempt: a.Attempt, At: a.At.UTC(), StatusCode: a.StatusCode,
			Error: a.Error, DurationMs: a.Duration.Milliseconds()}).Error; err != nil {
			return err
		}
		upd := map[string]any{"attempts": a.Attempt}
		switch {
		case delivered:
			upd["status"], upd["delivered_at"] = string(registry.DeliveryDelivered), now
		case retryIn > 0:
			upd["next_attempt_at"] = now.Add(retryIn)
		default:
			upd["status"] = string(registry.DeliveryFailed)
		}
		// Only a delivery still pending is settled: one whose subscription was
		// deleted meanwhile stays failed.
		return tx.Model(&deliveryRow{}).Where("id = ? AND status = ?", deliveryID, string(registry.DeliveryPending)).Updates(upd).Error
	})
}

// WebhookBacklog reports the deliveries waiting and the events not yet fanned
// out, for the worker's metrics.
func (s *Webhooks) WebhookBacklog(ctx context.Context) (pending, unfanned int64, err error) {
	db := s.read(ctx)
	if err = db.Model(&deliveryRow{}).Where("status = ?", string(registry.DeliveryPending)).Count(&pending).Error; err != nil {
		return 0, 0, s.translate(err)
	}
	if err = db.Model(&eventRow{}).Where("fanned_out = ?", false).Count(&unfanned).Error; err != nil {
		return 0, 0, s.translate(err)
	}
	return pending, unfanned, nil
}

// Events lists the outbox's events of an issuance in order, for tests and
// tools.
func (s *Webhooks) Events(ctx context.Context, issuanceID int64) ([]registry.Event, error) {
	var rows []eventRow
	if err := s.read(ctx).Where("issuance_id = ?", issuanceID).Order("id").Find(&rows).Error; err != nil {
		return nil, s.translate(err)
	}
	out := make([]registry.Event, len(rows))
	for i := range rows {
		out[i] = rows[i].domain()
	}
	return out, nil
}
