package api

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// httpMetrics are the API's own Prometheus series.
type httpMetrics struct {
	latency *prometheus.HistogramVec
	// observers holds the histogram of each route template, method and status
	// seen, so a request skips the label hashing and checks of WithLabelValues.
	observers sync.Map // observerKey → prometheus.Observer
}

type observerKey struct {
	route, method string
	status        int
}

// NewMetricsRegistry returns a Prometheus registry with the Go runtime and
// process collectors; the API and the node's other parts register on it.
func NewMetricsRegistry() *prometheus.Registry {
	promReg := prometheus.NewRegistry()
	promReg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return promReg
}

func newHTTPMetrics(promReg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "stonode",
		Subsystem: "http",
		Name:      "request_duration_seconds",
		Help:      "HTTP request latency by route template, method and status.",
		// From 100µs: an eligibility look-up answers in well under a millisecond.
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route", "method", "status"})}
	promReg.MustRegister(m.latency)
	return m
}

// observe records one request; unmatched paths share one label, and so do
// methods HTTP does not define, so that probes of random URLs or made-up
// methods cannot create unbounded series.
func (m *httpMetrics) observe(c *gin.Context, took time.Duration) {
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	k := observerKey{route: route, method: methodLabel(c.Request.Method), status: c.Writer.Status()}
	o, ok := m.observers.Load(k)
	if !ok {
		o, _ = m.observers.LoadOrStore(k, m.latency.WithLabelValues(k.route, k.method, strconv.Itoa(k.status)))
	}
	o.(prometheus.Observer).Observe(took.Seconds())
}

func (s *Server) metricsHandler(g prometheus.Gatherer) gin.HandlerFunc {
	h := promhttp.HandlerFor(g, promhttp.HandlerOpts{})
	return func(c *gin.Context) { h.ServeHTTP(c.Writer, c.Request) }
}

// methodLabel is the request's method when HTTP defines it, else "OTHER".
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "OTHER"
}
