package api_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stonode/stonode/api"
	"github.com/stonode/stonode/registry/store"
)

// TestAccessLogNamesTheKey: at info level every request is logged with its
// route template, status and the id of the key that made it (none when
// unauthenticated); at warn level none is.
func TestAccessLogNamesTheKey(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelWarn} {
		n := startNode(t, store.SQLite)
		key := n.operatorKey()
		var sink lockedBuffer // records_test.go
		srv := httptest.NewServer(api.New(n.st, api.Options{Clock: n.clock.Now, Mirror: n.st,
			Logger: slog.New(slog.NewJSONHandler(&sink, &slog.HandlerOptions{Level: level}))}))
		for _, k := range []string{key, ""} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/reason-codes", nil)
			if k != "" {
				req.Header.Set("Authorization", "Bearer "+k)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		srv.Close()
		var lines []map[string]any
		for _, l := range strings.Split(strings.TrimSpace(sink.String()), "\n") {
			var m map[string]any
			if l == "" || json.Unmarshal([]byte(l), &m) != nil || m["msg"] != "http" {
				continue
			}
			lines = append(lines, m)
		}
		if level > slog.LevelInfo {
			if len(lines) != 0 {
				t.Fatalf("access log at %s: %v", level, lines)
			}
			continue
		}
		keyID := strings.SplitN(strings.TrimPrefix(key, "stn_"), "_", 2)[0]
		want := map[float64]string{200: keyID, 401: ""} // status → key
		if len(lines) != len(want) {
			t.Fatalf("access log lines: %v", lines)
		}
		for _, l := range lines {
			k, ok := want[l["status"].(float64)]
			if !ok || l["route"] != "/v1/reason-codes" || l["method"] != "GET" || l["key"] != k {
				t.Fatalf("access log line %v; want the route, GET, and key %q for status %v", l, k, l["status"])
			}
		}
	}
}
