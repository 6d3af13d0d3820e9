package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServeBulkOnboardsPersonalData: serve wires bulk onboarding to the
// records service with the node's data key (made on first start on SQLite),
// so an upload's personal data is sealed and the onboarding seller reads it.
func TestServeBulkOnboardsPersonalData(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("STONODE_DATA_DIR", dir)
	t.Setenv("STONODE_ADDR", "127.0.0.1:0")
	t.Setenv("STONODE_CHAIN_RPC_ADDR", "")
	var keyOut bytes.Buffer
	if err := run(context.Background(), []string{"keys", "create", "--role", "operator"}, &keyOut, io.Discard); err != nil {
		t.Fatal(err)
	}
	op := strings.TrimSpace(keyOut.String())
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
	call := func(method, path, key, contentType, body string, want int) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		if body != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		_ = json.Unmarshal(raw, &out)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, raw, want)
		}
		return out
	}
	seller := call("POST", "/v1/sellers", op, "application/json", `{"legalName":"Firm","corporateNumber":"7000012050002",
		"fsaRegistration":"関東財務局長(金商)第44号","licence":"TYPE1","membership":"FULL"}`, 201)
	sk := call("POST", fmt.Sprintf("/v1/sellers/%v/keys", seller["id"]), op, "application/json", `{"name":"alpha"}`, 201)["key"].(string)

	csv := "customerRef,personType,residenceCountry,legalName,kanaName,postalCode,address,taxCategory\n" +
		"W-1,INDIVIDUAL,JP,山田 太郎,ヤマダ タロウ,1000005,東京都千代田区丸の内一丁目1番1号,INDIVIDUAL\n"
	res := call("POST", "/v1/investors/bulk?mode=apply", sk, "text/csv", csv, 200)
	results, _ := res["results"].([]any)
	if res["applied"] != true || len(results) != 1 {
		t.Fatalf("apply: %v", res)
	}
	id := results[0].(map[string]any)["investorId"]
	pd := call("GET", fmt.Sprintf("/v1/investors/%v/personal-data", id), sk, "", "", 200)
	if data, _ := pd["data"].(map[string]any); pd["redacted"] != false || data["legalName"] != "山田 太郎" || data["postalCode"] != "100-0005" {
		t.Fatalf("personal data: %v", pd)
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
