package registry

import (
	"testing"
	"time"
)

func TestValidateWebhookURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://backoffice.example.jp/hooks", true},
		{"https://backoffice.example.jp:8443/hooks?token=x", true},
		{"https://10.1.2.3/hooks", true}, // a private network's back office
		{"http://127.0.0.1:8080/hook", true},
		{"http://localhost/hook", true},
		{"http://[::1]:9000/hook", true},
		{"http://backoffice.example.jp/hooks", false}, // plain http off loopback
		{"http://10.0.0.1/hook", false},
		{"ftp://example.jp/x", false},
		{"https://user:pw@example.jp/", false},
		{"https://example.jp/#frag", false},
		{"https:///nohost", false},
		{"//example.jp/relative", false},
		{"https://169.254.169.254/latest/meta-data", false}, // link-local: cloud metadata
		{"https://0.0.0.0/", false},
		{"https://[ff02::1]/", false},
		{"https://224.0.0.1/", false},
		{"https://example.jp:0/", false},
		{"https://example.jp:70000/", false},
		{"https://exa mple.jp/", false},
		{"https://例え.jp/", false},
		{"", false},
		{"mailto:ops@example.jp", false},
	} {
		_, err := ValidateWebhookURL(tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateWebhookURL(%q) = %v, want ok=%v", tc.url, err, tc.ok)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("ValidateWebhookURL(%q): code %s, want %s", tc.url, ErrorCode(err), EINVALID)
		}
	}
}

func TestWebhookSignature(t *testing.T) {
	body := []byte(`{"id":1}`)
	sig := SignWebhook("whsec_x", 1700000000, body)
	// Known answer: printf '1700000000.{"id":1}' | openssl dgst -sha256 -hmac whsec_x
	if want := "v1=830effa15a2837a1255e71d7e6536f8d8dca8d76c9690f37bf648306d998dfb3"; sig != want {
		t.Fatalf("SignWebhook = %q, want %q", sig, want)
	}
	if !VerifyWebhook("whsec_x", 1700000000, body, sig) {
		t.Fatal("a signature does not verify")
	}
	for _, bad := range []struct {
		secret string
		ts     int64
		body   string
	}{{"whsec_y", 1700000000, `{"id":1}`}, {"whsec_x", 1700000001, `{"id":1}`}, {"whsec_x", 1700000000, `{"id":2}`}} {
		if VerifyWebhook(bad.secret, bad.ts, []byte(bad.body), sig) {
			t.Errorf("signature verifies with %+v", bad)
		}
	}
}

func TestEventVisibleTo(t *testing.T) {
	iss := &Issuance{ID: 7, LeadSellerID: 1, HandlingSellers: []int64{2}}
	op := &Principal{Role: RoleOperator}
	lead := &Principal{Role: RoleSeller, SellerID: 1}
	handler := &Principal{Role: RoleSeller, SellerID: 2}
	other := &Principal{Role: RoleSeller, SellerID: 3}
	for _, tc := range []struct {
		name  string
		e     Event
		p     *Principal
		iss   *Issuance
		wants bool
	}{
		{"operator sees all", Event{IssuanceID: 7}, op, iss, true},
		{"lead sees all", Event{IssuanceID: 7}, lead, iss, true},
		{"handler: not another's investor", Event{IssuanceID: 7, Parties: []int64{1}}, handler, iss, false},
		{"handler: its own investor", Event{IssuanceID: 7, Parties: []int64{2}}, handler, iss, true},
		{"handler: public", Event{IssuanceID: 7, Public: true}, handler, iss, true},
		{"outsider: public", Event{IssuanceID: 7, Public: true}, other, iss, false},
		{"outsider: named party but not handling", Event{IssuanceID: 7, Parties: []int64{3}}, other, iss, false},
		{"no issuance: operator only", Event{IssuanceID: 9}, op, nil, true},
		{"no issuance: seller never", Event{IssuanceID: 9, Public: true}, lead, nil, false},
	} {
		if got := tc.e.VisibleTo(tc.p, tc.iss); got != tc.wants {
			t.Errorf("%s: VisibleTo = %v, want %v", tc.name, got, tc.wants)
		}
	}
}

func TestRetryPolicyDelay(t *testing.T) {
	p := RetryPolicy{Base: time.Second, Max: 10 * time.Second, MaxAttempts: 10}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := p.Delay(i + 1); got != w {
			t.Errorf("Delay(%d) = %s, want %s", i+1, got, w)
		}
	}
}

func TestSubscriptionRequestValidate(t *testing.T) {
	r := SubscriptionRequest{URL: "https://example.jp/h", EventTypes: []EventType{EventTransferMirrored, EventComplianceAlert, EventTransferMirrored}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(r.EventTypes) != 2 || r.EventTypes[0] != EventComplianceAlert {
		t.Errorf("event types not normalised: %v", r.EventTypes)
	}
	for _, bad := range []SubscriptionRequest{
		{URL: "https://example.jp/h"},
		{URL: "https://example.jp/h", EventTypes: []EventType{"transfer.everything"}},
		{URL: "http://example.jp/h", EventTypes: []EventType{EventTransferMirrored}},
	} {
		if err := bad.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("Validate(%+v) = %v, want invalid", bad, err)
		}
	}
}
