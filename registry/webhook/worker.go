// Package webhook delivers the registry's events to subscribed URLs: it fans
// the outbox's events out to subscriptions, POSTs each delivery signed with
// its subscription's secret, retries failures with capped exponential
// backoff, logs every attempt, and keeps each (subscription, issuance) stream
// in event order.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/stonode/stonode/registry"
)

// Config tunes a Worker.
type Config struct {
	// Retry spaces failed attempts; zero fields take DefaultRetryPolicy's.
	Retry registry.RetryPolicy
	// Poll is how often the outbox is checked when nothing woke the worker
	// (default 1 s).
	Poll time.Duration
	// Timeout bounds one POST (default 10 s).
	Timeout time.Duration
	// Parallel bounds the deliveries attempted at once, each of its own
	// stream (default 8).
	Parallel int
	// Client sends the POSTs; nil: one that refuses to connect to addresses
	// no receiver has (registry.WebhookDialAllowed) and follows no redirect.
	Client *http.Client
	// Now is the clock of signatures (default time.Now).
	Now func() time.Time
	// Metrics registers the worker's series when not nil.
	Metrics prometheus.Registerer
}

// Worker delivers webhook events until its context ends.
type Worker struct {
	store       registry.WebhookOutbox
	cfg         Config
	log         *slog.Logger
	wake        chan struct{}
	metrics     *metrics
	lastBacklog time.Time // when the backlog gauges were last read
}

type metrics struct {
	attempts *prometheus.CounterVec
	duration prometheus.Histogram
	fanned   prometheus.Counter
	pending  prometheus.Gauge
	unfanned prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "stonode", Subsystem: "webhook", Name: "attempts_total",
			Help: "Webhook delivery attempts by outcome: delivered, retry (failed, attempted again later) or failed (gave up)."}, []string{"outcome"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "stonode", Subsystem: "webhook", Name: "attempt_duration_seconds",
			Help: "Duration of webhook POSTs, answered or not.", Buckets: prometheus.DefBuckets}),
		fanned: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "stonode", Subsystem: "webhook", Name: "events_fanned_out_total",
			Help: "Events turned into deliveries to their subscriptions."}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "stonode", Subsystem: "webhook", Name: "deliveries_pending",
			Help: "Deliveries waiting for their turn or their next attempt."}),
		unfanned: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "stonode", Subsystem: "webhook", Name: "events_unfanned",
			Help: "Events written but not yet fanned out to subscriptions."}),
	}
	for _, o := range []string{"delivered", "retry", "failed"} {
		m.attempts.WithLabelValues(o) // export zeros, so rates work from the start
	}
	if reg != nil {
		reg.MustRegister(m.attempts, m.duration, m.fanned, m.pending, m.unfanned)
	}
	return m
}

// New returns a worker on store.
func New(store registry.WebhookOutbox, cfg Config, log *slog.Logger) *Worker {
	def := registry.DefaultRetryPolicy
	if cfg.Retry.Base <= 0 {
		cfg.Retry.Base = def.Base
	}
	if cfg.Retry.Max <= 0 {
		cfg.Retry.Max = def.Max
	}
	if cfg.Retry.MaxAttempts <= 0 {
		cfg.Retry.MaxAttempts = def.MaxAttempts
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = 8
	}
	if cfg.Client == nil {
		cfg.Client = SafeClient()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{store: store, cfg: cfg, log: log, wake: make(chan struct{}, 1), metrics: newMetrics(cfg.Metrics)}
}

// SafeClient is the default delivery client: it connects only to addresses
// registry.WebhookDialAllowed admits, plain http only to loopback ones (a
// name like localhost is checked by what it resolves to), and follows no
// redirect (a receiver cannot send a signed event elsewhere).
func SafeClient() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip := net.ParseIP(host)
		if ip == nil || !registry.WebhookDialAllowed(ip) {
			return fmt.Errorf("webhook receiver address %s is not allowed", host)
		}
		return nil
	}}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if !plainAllowed(ctx, conn) {
			conn.Close()
			return nil, errors.New("plain http is allowed only to a loopback receiver")
		}
		return conn, nil
	}
	transport.Proxy = nil // the allow-list is about the receiver, not a proxy
	return &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

type schemeKey struct{}

// plainAllowed refuses a plain-http connection to a non-loopback address
// (the scheme travels in the request's context).
func plainAllowed(ctx context.Context, conn net.Conn) bool {
	if scheme, _ := ctx.Value(schemeKey{}).(string); scheme != "http" {
		return true
	}
	addr, ok := conn.RemoteAddr().(*net.TCPAddr)
	return ok && addr.IP.IsLoopback()
}

// Wake tells the worker that events were written.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run fans out and delivers until ctx ends. Every step goes through the
// database, so a node that stops anywhere resumes where the outbox says: an
// event written is fanned out and delivered after a restart, and a delivery
// claimed but not settled is attempted again when its claim lapses (a
// receiver may then see it twice; the event id tells it so).
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.cfg.Poll)
	defer t.Stop()
	for ctx.Err() == nil {
		busy := w.step(ctx)
		if busy {
			continue
		}
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-t.C:
		}
	}
}

// step fans out and attempts one round of due deliveries; true when there
// may be more to do at once.
func (w *Worker) step(ctx context.Context) bool {
	busy := false
	n, err := w.store.FanOut(ctx, 200)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Warn("webhook fan-out", slog.Any("err", err))
		}
		return false
	}
	w.metrics.fanned.Add(float64(n))
	busy = n == 200
	// The claim outlasts a POST (its timeout) and the recording of its outcome.
	due, err := w.store.ClaimDeliveries(ctx, w.cfg.Parallel, 2*w.cfg.Timeout+time.Second)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Warn("webhook claim deliveries", slog.Any("err", err))
		}
		return false
	}
	var wg sync.WaitGroup
	settled := make(chan bool, len(due))
	for _, d := range due {
		wg.Add(1)
		go func() {
			defer wg.Done()
			settled <- w.attempt(ctx, d)
		}()
	}
	wg.Wait()
	close(settled)
	for ok := range settled {
		busy = busy || ok // a delivered one may have a successor due now
	}
	// The backlog gauges cost two counts: once a second is enough.
	if time.Since(w.lastBacklog) >= time.Second {
		w.lastBacklog = time.Now()
		if pending, unfanned, err := w.store.WebhookBacklog(ctx); err == nil {
			w.metrics.pending.Set(float64(pending))
			w.metrics.unfanned.Set(float64(unfanned))
		}
	}
	return busy
}

// Body is the JSON body of a delivery.
type Body struct {
	ID         int64              `json:"id"`
	Type       registry.EventType `json:"type"`
	IssuanceID int64              `json:"issuanceId"`
	CreatedAt  time.Time          `json:"createdAt"`
	Data       json.RawMessage    `json:"data"`
}

// attempt POSTs one delivery and records how it ended; true when delivered.
func (w *Worker) attempt(ctx context.Context, d registry.DueDelivery) bool {
	body, err := json.Marshal(Body{ID: d.Event.ID, Type: d.Event.Type, IssuanceID: d.Event.IssuanceID, CreatedAt: d.Event.CreatedAt, Data: d.Event.Data})
	if err != nil {
		w.log.Error("webhook body", slog.Int64("event", d.Event.ID), slog.Any("err", err))
		return false
	}
	start := time.Now()
	status, postErr := w.post(ctx, d, body)
	took := time.Since(start)
	if postErr != nil && ctx.Err() != nil {
		return false // shutting down mid-POST: the claim lapses and the next run attempts it again
	}
	w.metrics.duration.Observe(took.Seconds())
	a := registry.DeliveryAttempt{Attempt: d.Attempt, StatusCode: status, Duration: took} // At: the store's now
	delivered := postErr == nil && status >= 200 && status < 300
	var retryIn time.Duration
	outcome := "delivered"
	if !delivered {
		a.Error = describe(status, postErr)
		if d.Attempt < w.cfg.Retry.MaxAttempts {
			retryIn, outcome = w.cfg.Retry.Delay(d.Attempt), "retry"
		} else {
			outcome = "failed"
		}
	}
	// The outcome is recorded even if the node is stopping now.
	recCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := w.store.RecordAttempt(recCtx, d.DeliveryID, a, delivered, retryIn); err != nil {
		w.log.Warn("webhook record attempt; the delivery is attempted again when its claim lapses",
			slog.Int64("delivery", d.DeliveryID), slog.Any("err", err))
		return false
	}
	w.metrics.attempts.WithLabelValues(outcome).Inc()
	log := w.log.With(slog.Int64("delivery", d.DeliveryID), slog.Int64("event", d.Event.ID), slog.Int64("subscription", d.SubscriptionID),
		slog.Int("attempt", d.Attempt))
	switch outcome {
	case "retry":
		log.Info("webhook delivery failed; retrying", slog.String("error", a.Error), slog.Duration("in", retryIn))
	case "failed":
		log.Warn("webhook delivery failed for good; re-deliver it on request", slog.String("error", a.Error))
	}
	return delivered
}

// post sends one signed POST and returns the answer's status.
func (w *Worker) post(ctx context.Context, d registry.DueDelivery, body []byte) (int, error) {
	u, err := registry.ValidateWebhookURL(d.URL)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, schemeKey{}, u.Scheme), w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := w.cfg.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "stonode-webhook/1")
	req.Header.Set(registry.HeaderEventID, strconv.FormatInt(d.Event.ID, 10))
	req.Header.Set(registry.HeaderEventType, string(d.Event.Type))
	req.Header.Set(registry.HeaderDelivery, strconv.FormatInt(d.DeliveryID, 10))
	req.Header.Set(registry.HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(registry.HeaderSignature, registry.SignWebhook(d.Secret, ts, body))
	resp, err := w.cfg.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	return resp.StatusCode, nil
}

// describe says why an attempt failed, without the URL (it may carry a
// token the subscriber put in its query).
func describe(status int, err error) string {
	if err == nil {
		return "HTTP " + strconv.Itoa(status)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg
}
