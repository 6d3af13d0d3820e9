package registry

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EventType names what happened, for webhook subscriptions.
type EventType string

const (
	EventWhitelistConfirmed EventType = "whitelist.confirmed" // an entry's wallets are on-chain as the registry says
	EventWhitelistFailed    EventType = "whitelist.failed"    // the chain refused a wallet of an entry
	EventOperationFinished  EventType = "operation.finished"  // a chain operation succeeded or failed
	EventTransferMirrored   EventType = "transfer.mirrored"   // the mirror ingested a transfer, mint or burn
	EventComplianceAlert    EventType = "compliance.alert"    // a mirrored transfer reached an ineligible wallet
	EventApprovalRequested  EventType = "approval.requested"  // a transfer between investors awaits the issuer's approval
	EventApprovalDecided    EventType = "approval.decided"    // the issuer approved or rejected a transfer
	EventTermChangeApplied  EventType = "term_change.applied" // an issuance's terms changed
	EventChainWorkHalted    EventType = "chain_work.halted"   // an issuance's chain work stopped
)

// EventTypes lists every event type, in a stable order.
var EventTypes = []EventType{EventWhitelistConfirmed, EventWhitelistFailed, EventOperationFinished, EventTransferMirrored,
	EventComplianceAlert, EventApprovalRequested, EventApprovalDecided, EventTermChangeApplied, EventChainWorkHalted}

// Valid reports whether t is a known event type.
func (t EventType) Valid() bool { return slices.Contains(EventTypes, t) }

// Event is something that happened to an issuance, written in the same
// transaction as the change it reports (the webhook outbox) and fanned out to
// the subscriptions allowed to see it.
type Event struct {
	ID         int64     `json:"id"`
	Type       EventType `json:"type"`
	IssuanceID int64     `json:"issuanceId"`
	// Public events (a term change, a halt) concern the issuance as a whole:
	// every seller that leads or handles it receives them. Other events name
	// investors or wallets and go to those who operate the issuance, plus the
	// sellers listed in Parties.
	Public bool `json:"-"`
	// Parties are the onboarding sellers of the investors the event names;
	// each receives it while it handles the issuance.
	Parties []int64 `json:"-"`
	// Data is the event's body: a JSON object.
	Data      json.RawMessage `json:"data"`
	CreatedAt time.Time       `json:"createdAt"`
}

// NewEvent builds an event with data marshalled to JSON.
func NewEvent(t EventType, issuanceID int64, data any) (Event, error) {
	body, err := json.Marshal(data)
	if err != nil {
		return Event{}, err
	}
	return Event{Type: t, IssuanceID: issuanceID, Data: body}, nil
}

// VisibleTo is the webhook tenancy rule, decided when an event is fanned out
// to subscriptions (with the issuance as it is then): whoever may operate the
// issuance receives every event about it; a seller that only handles it
// receives public events and those that name its own investors; nobody else
// receives anything.
func (e *Event) VisibleTo(p *Principal, iss *Issuance) bool {
	if iss == nil || iss.ID != e.IssuanceID {
		return p != nil && p.Role == RoleOperator
	}
	if CanOperate(p, iss) && p.Role != RoleReader {
		return true
	}
	if p == nil || p.Role != RoleSeller || !CanRead(p, iss) {
		return false
	}
	return e.Public || slices.Contains(e.Parties, p.SellerID)
}

// Subscription is a seller's or the operator's webhook: the URL events of the
// subscribed types are POSTed to.
type Subscription struct {
	ID         int64       `json:"id"`
	SellerID   *int64      `json:"sellerId,omitempty"` // nil: an operator's subscription
	URL        string      `json:"url"`
	EventTypes []EventType `json:"eventTypes"`
	Active     bool        `json:"active"`
	CreatedBy  string      `json:"createdBy"`
	CreatedAt  time.Time   `json:"createdAt"`
}

// Principal is who the subscription receives events as.
func (s *Subscription) Principal() *Principal {
	if s.SellerID == nil {
		return &Principal{KeyID: "webhook:" + strconv.FormatInt(s.ID, 10), Role: RoleOperator}
	}
	return &Principal{KeyID: "webhook:" + strconv.FormatInt(s.ID, 10), Role: RoleSeller, SellerID: *s.SellerID}
}

// Wants reports whether the subscription is for events of type t.
func (s *Subscription) Wants(t EventType) bool { return slices.Contains(s.EventTypes, t) }

// NewSubscription is a subscription just created; Secret signs its deliveries
// and is shown this once.
type NewSubscription struct {
	Subscription
	Secret string `json:"secret"`
}

// SubscriptionRequest creates a subscription. SellerID is the seller it is
// for: a seller's key may only name itself (or leave it 0), the operator's
// names a seller or leaves it 0 for an operator subscription.
type SubscriptionRequest struct {
	SellerID   int64
	URL        string
	EventTypes []EventType
}

// DeliveryStatus is where one event's delivery to one subscription stands.
type DeliveryStatus string

const (
	DeliveryPending   DeliveryStatus = "PENDING"   // waiting for its turn or its next attempt
	DeliveryDelivered DeliveryStatus = "DELIVERED" // the receiver answered 2xx
	DeliveryFailed    DeliveryStatus = "FAILED"    // gave up after the last attempt; re-deliverable
)

// Delivery is one event for one subscription, with every attempt made.
type Delivery struct {
	ID             int64             `json:"id"`
	SubscriptionID int64             `json:"subscriptionId"`
	EventID        int64             `json:"eventId"`
	EventType      EventType         `json:"eventType"`
	IssuanceID     int64             `json:"issuanceId"`
	Status         DeliveryStatus    `json:"status"`
	Attempts       int               `json:"attempts"`
	NextAttemptAt  *time.Time        `json:"nextAttemptAt,omitempty"`
	DeliveredAt    *time.Time        `json:"deliveredAt,omitempty"`
	CreatedAt      time.Time         `json:"createdAt"`
	Log            []DeliveryAttempt `json:"log"`
}

// DeliveryAttempt is one POST of a delivery and how it ended.
type DeliveryAttempt struct {
	Attempt    int           `json:"attempt"`
	At         time.Time     `json:"at"`
	StatusCode int           `json:"statusCode,omitempty"` // 0: no HTTP answer
	Error      string        `json:"error,omitempty"`
	Duration   time.Duration `json:"-"`
}

// DeliveryFilter narrows a subscription's delivery log.
type DeliveryFilter struct {
	Status DeliveryStatus
	Page   Page
}

// Validate checks the status filter.
func (f DeliveryFilter) Validate() error {
	if f.Status == "" {
		return nil
	}
	return oneOf("status", f.Status, DeliveryPending, DeliveryDelivered, DeliveryFailed)
}

// WebhookService is what the API offers for webhooks. Sellers manage their
// own subscriptions, the operator every one.
type WebhookService interface {
	CreateSubscription(ctx context.Context, r SubscriptionRequest) (*NewSubscription, error)
	Subscriptions(ctx context.Context, page Page) ([]*Subscription, error)
	Subscription(ctx context.Context, id int64) (*Subscription, error)
	DeleteSubscription(ctx context.Context, id int64) error
	Deliveries(ctx context.Context, subscriptionID int64, f DeliveryFilter) ([]*Delivery, error)
	// Redeliver queues a delivery again (delivered or failed), as the next of
	// its issuance's stream to that subscription.
	Redeliver(ctx context.Context, subscriptionID, deliveryID int64) (*Delivery, error)
}

// The headers of a webhook delivery. The signature is
// hex(HMAC-SHA256(secret, timestamp + "." + body)), where timestamp is the
// Stonode-Timestamp header (Unix seconds) and body the raw request body;
// receivers recompute it, compare in constant time, and refuse timestamps far
// from their clock to stop replays.
const (
	HeaderEventID   = "Stonode-Event-Id"
	HeaderEventType = "Stonode-Event-Type"
	HeaderTimestamp = "Stonode-Timestamp"
	HeaderSignature = "Stonode-Signature"
	HeaderDelivery  = "Stonode-Delivery-Id"
)

// SignWebhook returns the signature of a delivery: "v1=" and the hex HMAC.
func SignWebhook(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook checks a delivery's signature header in constant time.
func VerifyWebhook(secret string, timestamp int64, body []byte, signature string) bool {
	return hmac.Equal([]byte(SignWebhook(secret, timestamp, body)), []byte(signature))
}

// MaxWebhookURL bounds a subscription URL's length.
const MaxWebhookURL = 2048

// ValidateWebhookURL accepts an absolute https URL, or an http URL to a
// loopback host (a receiver on the node's own machine), with no user info
// and no fragment; anything else is refused. It returns the URL as parsed.
func ValidateWebhookURL(raw string) (*url.URL, error) {
	bad := func(why string) (*url.URL, error) {
		return nil, Errorf(EINVALID, "url %s", why)
	}
	if raw == "" {
		return bad("is required")
	}
	if len(raw) > MaxWebhookURL {
		return bad("is longer than " + strconv.Itoa(MaxWebhookURL) + " bytes")
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] <= 0x20 || raw[i] >= 0x7f {
			return bad("must be ASCII without spaces or control characters (percent-encode the rest)")
		}
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return bad("must be an absolute http(s) URL")
	}
	switch {
	case u.User != nil:
		return bad("must not carry user info; authenticate deliveries by their signature")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return bad("must not have a fragment")
	case u.Hostname() == "":
		return bad("must name a host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad("has an invalid port")
		}
	}
	host := strings.ToLower(u.Hostname())
	addr, perr := netip.ParseAddr(host)
	isIP := perr == nil
	if isIP && !allowedWebhookIP(addr) {
		return bad("must not point at an unspecified, link-local or multicast address")
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if host == "localhost" || isIP && addr.IsLoopback() {
			return u, nil
		}
		return bad("must use https (plain http only to a loopback receiver: localhost, 127.0.0.0/8, [::1])")
	}
	return bad("must use https")
}

// WebhookDialAllowed reports whether a delivery may connect to ip: the
// address a host name resolves to is checked when connecting, so a name
// cannot lead the node to an address ValidateWebhookURL would refuse.
func WebhookDialAllowed(ip net.IP) bool {
	addr, ok := netip.AddrFromSlice(ip)
	return ok && allowedWebhookIP(addr.Unmap())
}

// allowedWebhookIP refuses addresses no receiver has: unspecified,
// link-local (cloud metadata endpoints live there) and multicast.
func allowedWebhookIP(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsValid() && !a.IsUnspecified() && !a.IsLinkLocalUnicast() && !a.IsLinkLocalMulticast() &&
		!a.IsInterfaceLocalMulticast() && !a.IsMulticast()
}

// Validate checks a subscription request and normalises its event types
// (sorted, once each).
func (r *SubscriptionRequest) Validate() error {
	if _, err := ValidateWebhookURL(r.URL); err != nil {
		return err
	}
	if r.SellerID < 0 {
		return Errorf(EINVALID, "sellerId must be a positive id")
	}
	if len(r.EventTypes) == 0 {
		return Errorf(EINVALID, "eventTypes must name at least one event type")
	}
	for _, t := range r.EventTypes {
		if !t.Valid() {
			return Errorf(EINVALID, "eventTypes: %q is not an event type", t)
		}
	}
	slices.Sort(r.EventTypes)
	r.EventTypes = slices.Compact(r.EventTypes)
	return nil
}

// RetryPolicy spaces a failing delivery's attempts: the n-th retry waits
// Base·2^(n-1), at most Max; after MaxAttempts attempts the delivery fails
// (and can be re-delivered on request), so one dead receiver does not hold
// its stream forever.
type RetryPolicy struct {
	Base        time.Duration
	Max         time.Duration
	MaxAttempts int
}

// DefaultRetryPolicy retries for about a day: 1 s, 2 s, 4 s, … capped at one
// hour, 30 attempts.
var DefaultRetryPolicy = RetryPolicy{Base: time.Second, Max: time.Hour, MaxAttempts: 30}

// Delay is the wait after the attempt-th failed attempt (1-based).
func (p RetryPolicy) Delay(attempt int) time.Duration {
	d := p.Base
	for i := 1; i < attempt && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// DueDelivery is a delivery claimed for an attempt, with what the attempt
// needs: where to POST, the secret to sign with and the event.
type DueDelivery struct {
	DeliveryID     int64
	SubscriptionID int64
	Attempt        int // this attempt's number, from 1
	URL            string
	Secret         string
	Event          Event
}

// WebhookOutbox is what the delivery worker needs of the store.
type WebhookOutbox interface {
	// FanOut turns up to limit events into deliveries and reports how many
	// events it handled.
	FanOut(ctx context.Context, limit int) (int, error)
	// ClaimDeliveries claims up to limit due deliveries, at most one per
	// (subscription, issuance) stream: its oldest pending one. A claim not
	// settled within lease (the worker died) lapses, and the delivery is
	// attempted again.
	ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]DueDelivery, error)
	// RecordAttempt logs an attempt (At zero: now, by the store's clock) and
	// settles the delivery: delivered, or not and retried retryIn from now,
	// or (retryIn 0) failed for good.
	RecordAttempt(ctx context.Context, deliveryID int64, a DeliveryAttempt, delivered bool, retryIn time.Duration) error
	// WebhookBacklog counts pending deliveries and events not yet fanned out.
	WebhookBacklog(ctx context.Context) (pending, unfanned int64, err error)
}
