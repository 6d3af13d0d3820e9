package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
)

// bareDecision mirrors the shape of stonode's decision so both targets encode a
// similar body.
type bareDecision struct {
	Address     string    `json:"address"`
	Allowed     bool      `json:"allowed"`
	Code        string    `json:"code"`
	Reasons     []string  `json:"reasons"`
	EvaluatedAt time.Time `json:"evaluatedAt"`
}

// bareCmd serves the baseline: gin.New() in release mode, no middleware, one GET
// route with path parameters answering a small constant-shaped JSON decision.
func bareCmd(args []string) error {
	fs := flag.NewFlagSet("bare", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "loopback listen address")
	addrFile := fs.String("addr-file", "", "write the bound address to this file once listening")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr must be a loopback IP address, got %q", host)
	}

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/v1/issuances/:id/eligibility/:address", func(c *gin.Context) {
		c.JSON(http.StatusOK, bareDecision{
			Address:     c.Param("address"),
			Allowed:     true,
			Reasons:     []string{},
			EvaluatedAt: time.Now().UTC().Truncate(time.Second),
		})
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(ln.Addr().String()+"\n"), 0o600); err != nil {
			return err
		}
	}
	fmt.Fprintln(os.Stderr, "bare gin serving on", ln.Addr().String())
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
