package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestKeysCreatePrintsOneKey(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"keys", "create", "--role", "operator", "--data-dir", dir}, &out, &errOut); err != nil {
		t.Fatalf("keys create: %v (%s)", err, errOut.String())
	}
	key := strings.TrimSpace(out.String())
	if !strings.HasPrefix(key, "stn_") || strings.Contains(key, "\n") {
		t.Fatalf("stdout = %q, want exactly one key", out.String())
	}
	if err := run(context.Background(), []string{"keys", "create", "--role", "seller", "--data-dir", dir}, io.Discard, io.Discard); err == nil {
		t.Fatal("a seller key from the CLI was accepted")
	}
}

// TestServeAnswersAndShutsDown starts the daemon on a free port with the
// environment's configuration, checks it serves with the key from the CLI, and
// stops it gracefully.
func TestServeAnswersAndShutsDown(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("STONODE_DATA_DIR", dir)
	t.Setenv("STONODE_ADDR", "127.0.0.1:0")
	t.Setenv("STONODE_CHAIN_RPC_ADDR", "") // the embedded chain without its HTTP server
	var keyOut bytes.Buffer
	if err := run(context.Background(), []string{"keys", "create", "--role", "reader"}, &keyOut, io.Discard); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logR, logW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, io.Discard, logW); logW.Close() }()

	addr := ""
	lines := bufio.NewScanner(logR)
	for addr == "" && lines.Scan() {
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(lines.Bytes(), &rec) == nil && rec.Msg == "stonode serving" {
			addr = rec.Addr
		}
	}
	go func() { _, _ = io.Copy(io.Discard, logR) }()
	if addr == "" {
		t.Fatal("serve did not report its address")
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/reason-codes", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(keyOut.String()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("reason codes with the CLI's key: %d", resp.StatusCode)
	}
	// SQLite has one node: a second serve on the same database is refused.
	if err := run(context.Background(), []string{"serve", "--chain-rpc-addr", ""}, io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "another stonode node already serves") {
		t.Fatalf("a second node on the same SQLite file: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
}
