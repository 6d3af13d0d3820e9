package store

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestGenerationReaderNeverAnswersFromAReadThatPredatesTheCaller: a caller
// arriving while a read is in flight must get a later read, or it could miss a
// write that committed just before it arrived.
func TestGenerationReaderNeverAnswersFromAReadThatPredatesTheCaller(t *testing.T) {
	var committed atomic.Int64 // the "database"
	started := make(chan struct{}, 10)
	release := make(chan struct{})
	var queries atomic.Int64
	g := &generationReader[int64]{query: func(context.Context) (int64, error) {
		v := committed.Load() // the value this read observes
		queries.Add(1)
		started <- struct{}{}
		<-release
		return v, nil
	}}
	ctx := context.Background()
	first := make(chan int64)
	go func() { v, _ := g.read(ctx); first <- v }()
	<-started // read #1 is in flight and has observed 0

	committed.Store(1) // a write commits; everything arriving from now on must see it
	var wg sync.WaitGroup
	later := make([]int64, 8)
	for i := range later {
		wg.Add(1)
		go func(i int) { defer wg.Done(); later[i], _ = g.read(ctx) }(i)
	}
	time.Sleep(50 * time.Millisecond) // let them queue behind read #1
	release <- struct{}{}
	if v := <-first; v != 0 {
		t.Fatalf("first read = %d, want 0", v)
	}
	<-started
	release <- struct{}{}
	wg.Wait()
	for i, v := range later {
		if v != 1 {
			t.Fatalf("caller %d arriving after the write got generation %d", i, v)
		}
	}
	if q := queries.Load(); q != 2 {
		t.Fatalf("%d queries for 9 callers, want 2 (the 8 latecomers share one)", q)
	}
}

func TestGenerationReaderHonoursCallerContext(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	g := &generationReader[int64]{query: func(context.Context) (int64, error) { <-release; return 0, nil }}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := g.read(ctx); err != context.DeadlineExceeded {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}
