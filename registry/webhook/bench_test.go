package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stonode/stonode/registry"
	"github.com/stonode/stonode/registry/store/storetest"
	"github.com/stonode/stonode/registry/webhook"
)

// BenchmarkDeliveryThroughput measures how fast the worker drains a backlog
// of 1,000 transfer.mirrored events (written first, 100 per mirrored batch)
// to one loopback receiver that answers at once: one issuance's stream (in
// order, one delivery at a time), then two issuances' streams side by side.
// b.N is ignored: run it with -benchtime=1x.
//
//	go test -run '^$' -bench DeliveryThroughput -benchtime=1x ./registry/webhook/
func BenchmarkDeliveryThroughput(b *testing.B) {
	const events = 1000
	for _, engine := range storetest.Engines(b) {
		b.Run(string(engine), func(b *testing.B) {
			w := newWorld(b, engine)
			var got atomic.Int64
			recv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got.Add(1) }))
			defer recv.Close()
			if _, err := w.hooks.CreateSubscription(operator(), registry.SubscriptionRequest{URL: recv.URL,
				EventTypes: []registry.EventType{registry.EventTransferMirrored}}); err != nil {
				b.Fatal(err)
			}
			for _, streams := range []int{1, 2} {
				isses := []*registry.Issuance{w.x, w.y}[:streams]
				start := got.Load()
				for i := 0; i < events/100; i++ {
					for _, iss := range isses {
						w.mirror(w.db, iss, 100/streams)
					}
				}
				worker := webhook.New(w.hooks, webhook.Config{Poll: 10 * time.Millisecond}, nil)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				began := time.Now()
				go func() { defer close(done); worker.Run(ctx) }()
				for got.Load()-start < events {
					if time.Since(began) > 5*time.Minute {
						b.Fatalf("%d of %d delivered", got.Load()-start, events)
					}
					time.Sleep(5 * time.Millisecond)
				}
				took := time.Since(began)
				cancel()
				<-done
				b.ReportMetric(float64(events)/took.Seconds(), map[int]string{1: "events/s_1_stream", 2: "events/s_2_streams"}[streams])
			}
		})
	}
}
