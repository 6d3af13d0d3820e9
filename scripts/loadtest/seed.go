package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// loopbackURL parses u and refuses anything but a loopback IP target.
func loopbackURL(u string) (*url.URL, error) {
	p, err := url.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("--url: %w", err)
	}
	if p.Scheme != "http" {
		return nil, fmt.Errorf("--url must be http://127.0.0.1:PORT, got %q", u)
	}
	ip := net.ParseIP(p.Hostname())
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("--url must target a loopback IP address (e.g. 127.0.0.1), got %q", p.Hostname())
	}
	return p, nil
}

// apiClient is a small JSON client for seeding.
type apiClient struct {
	base string
	http *http.Client
}

func (c *apiClient) do(method, path, key string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, strings.TrimSpace(string(raw)))
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: decode response: %w", method, path, err)
		}
	}
	return nil
}

type idResp struct {
	ID int64 `json:"id"`
}

type keyResp struct {
	Key string `json:"key"`
}

func randomAddress() (string, error) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "0x" + hex.EncodeToString(b[:]), nil
}

// corporateNumber returns a random 13-digit Japanese corporate number with a valid
// check digit, so repeated seeds into one PostgreSQL database do not collide.
func corporateNumber() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	digits := make([]byte, 13)
	sum := 0
	for i := range b {
		digits[i+1] = '0' + b[i]%10
	}
	for n := 1; n <= 12; n++ {
		q := 1
		if n%2 == 0 {
			q = 2
		}
		sum += int(digits[13-n]-'0') * q
	}
	digits[0] = byte('0' + 9 - sum%9)
	return string(digits)
}

// seedCmd creates the fixture the benchmark reads: a seller with a key, a reader
// key, a PUBLIC issuance in OFFERING and N whitelisted investors with one wallet each.
func seedCmd(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	base := fs.String("url", "", "stonode base URL, e.g. http://127.0.0.1:18080")
	opKey := fs.String("operator-key", "", "operator API key")
	n := fs.Int("investors", 1000, "number of whitelisted investors to create (1..100000)")
	addrOut := fs.String("addresses", "", "write the wallet addresses here, one a line (default: stdout after the header)")
	envOut := fs.String("env", "", "write READER_KEY=… and ISSUANCE_ID=… here (default: stdout)")
	workers := fs.Int("workers", 4, "concurrent seeding requests (1..16)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *opKey == "" {
		return errors.New("--operator-key is required")
	}
	if *n < 1 || *n > 100000 {
		return errors.New("--investors must be between 1 and 100000")
	}
	if *workers < 1 || *workers > 16 {
		return errors.New("--workers must be between 1 and 16")
	}
	u, err := loopbackURL(*base)
	if err != nil {
		return err
	}
	c := &apiClient{base: strings.TrimRight(u.String(), "/"), http: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: *workers, Proxy: nil},
	}}
	started := time.Now()

	var seller idResp
	if err := c.do("POST", "/v1/sellers", *opKey, map[string]any{
		"legalName": "Loadtest Securities", "corporateNumber": corporateNumber(),
		"fsaRegistration": "関東財務局長(金商)第44号", "licence": "TYPE1", "membership": "FULL",
	}, &seller); err != nil {
		return err
	}
	var sk keyResp
	if err := c.do("POST", fmt.Sprintf("/v1/sellers/%d/keys", seller.ID), *opKey, map[string]any{"name": "loadtest seller"}, &sk); err != nil {
		return err
	}
	var rk keyResp
	if err := c.do("POST", "/v1/keys", *opKey, map[string]any{"role": "reader", "name": "loadtest reader"}, &rk); err != nil {
		return err
	}
	var iss idResp
	if err := c.do("POST", "/v1/issuances", sk.Key, map[string]any{
		"issuerName": "Loadtest Trust", "tokenName": "Loadtest Beneficiary Token", "tokenSymbol": "LDT",
		"legalForm": "TRUST_BENEFICIARY", "fieaClass": "PARA1_TOKEN", "offeringType": "PUBLIC",
	}, &iss); err != nil {
		return err
	}
	for _, st := range []string{"REGISTERED", "OFFERING"} {
		if err := c.do("POST", fmt.Sprintf("/v1/issuances/%d/status", iss.ID), sk.Key, map[string]any{"status": st}, nil); err != nil {
			return err
		}
	}

	addrs := make([]string, *n)
	for i := range addrs {
		if addrs[i], err = randomAddress(); err != nil {
			return err
		}
	}
	now := time.Now().UTC().Truncate(time.Second)
	jobs := make(chan int)
	errc := make(chan error, *workers)
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				var inv idResp
				err := c.do("POST", "/v1/investors", sk.Key, map[string]any{
					"customerRef":      fmt.Sprintf("LT-%06d", i+1),
					"personType":       "INDIVIDUAL",
					"residenceCountry": "JP",
					"kyc": map[string]any{"status": "VERIFIED", "method": "eKYC",
						"verifiedAt": now.Add(-24 * time.Hour).Format(time.RFC3339),
						"reviewDue":  now.AddDate(1, 0, 0).Format(time.RFC3339)},
					"screening": map[string]any{"sanctions": "CLEAR", "antisocial": "CLEAR"},
					"wallets":   []map[string]any{{"address": addrs[i]}},
				}, &inv)
				if err == nil {
					err = c.do("PUT", fmt.Sprintf("/v1/issuances/%d/whitelist/%d", iss.ID, inv.ID), sk.Key, nil, nil)
				}
				if err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	var firstErr error
feed:
	for i := range addrs {
		select {
		case jobs <- i:
		case firstErr = <-errc:
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		select {
		case firstErr = <-errc:
		default:
		}
	}
	if firstErr != nil {
		return firstErr
	}

	// Sanity check: the first wallet must be allowed for the reader key.
	var d struct {
		Allowed bool   `json:"allowed"`
		Code    string `json:"code"`
	}
	if err := c.do("GET", fmt.Sprintf("/v1/issuances/%d/eligibility/%s", iss.ID, addrs[0]), rk.Key, nil, &d); err != nil {
		return err
	}
	if !d.Allowed {
		return fmt.Errorf("seeded wallet %s is not allowed (code %s)", addrs[0], d.Code)
	}

	env := fmt.Sprintf("READER_KEY=%s\nISSUANCE_ID=%d\nSELLER_ID=%d\n", rk.Key, iss.ID, seller.ID)
	list := strings.Join(addrs, "\n") + "\n"
	if *envOut != "" {
		if err := os.WriteFile(*envOut, []byte(env), 0o600); err != nil {
			return err
		}
	} else {
		fmt.Print(env)
	}
	if *addrOut != "" {
		if err := os.WriteFile(*addrOut, []byte(list), 0o600); err != nil {
			return err
		}
	} else {
		fmt.Print(list)
	}
	fmt.Fprintf(os.Stderr, "seeded issuance %d with %d whitelisted investors in %s\n", iss.ID, *n, time.Since(started).Round(time.Millisecond))
	return nil
}
