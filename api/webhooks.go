package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/stonode/stonode/registry"
)

// Webhooks: subscriptions of sellers and the operator, and their delivery log.

// noWebhooks answers webhook routes on a server built without a webhook service.
type noWebhooks struct{}

var errNoWebhooks = registry.Errorf(registry.EUNAVAILABLE, "this node delivers no webhooks")

func (noWebhooks) CreateSubscription(context.Context, registry.SubscriptionRequest) (*registry.NewSubscription, error) {
	return nil, errNoWebhooks
}

func (noWebhooks) Subscriptions(context.Context, registry.Page) ([]*registry.Subscription, error) {
	return nil, errNoWebhooks
}

func (noWebhooks) Subscription(context.Context, int64) (*registry.Subscription, error) {
	return nil, errNoWebhooks
}

func (noWebhooks) DeleteSubscription(context.Context, int64) error { return errNoWebhooks }

func (noWebhooks) Deliveries(context.Context, int64, registry.DeliveryFilter) ([]*registry.Delivery, error) {
	return nil, errNoWebhooks
}

func (noWebhooks) Redeliver(context.Context, int64, int64) (*registry.Delivery, error) {
	return nil, errNoWebhooks
}

type subscriptionJSON struct {
	ID         int64     `json:"id"`
	SellerID   *int64    `json:"sellerId,omitempty"`
	URL        string    `json:"url"`
	EventTypes []string  `json:"eventTypes"`
	Active     bool      `json:"active"`
	CreatedBy  string    `json:"createdBy"`
	CreatedAt  time.Time `json:"createdAt"`
	Secret     string    `json:"secret,omitempty"` // only in the creation's answer
}

func toSubscriptionJSON(s *registry.Subscription) subscriptionJSON {
	types := make([]string, len(s.EventTypes))
	for i, t := range s.EventTypes {
		types[i] = string(t)
	}
	return subscriptionJSON{ID: s.ID, SellerID: s.SellerID, URL: s.URL, EventTypes: types, Active: s.Active,
		CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt}
}

type createSubscriptionRequest struct {
	SellerID   int64    `json:"sellerId"`
	URL        string   `json:"url"`
	EventTypes []string `json:"eventTypes"`
}

func (s *Server) createSubscription(c *gin.Context) {
	var req createSubscriptionRequest
	if !s.decode(c, &req) {
		return
	}
	r := registry.SubscriptionRequest{SellerID: req.SellerID, URL: req.URL}
	for _, t := range req.EventTypes {
		r.EventTypes = append(r.EventTypes, registry.EventType(t))
	}
	if !s.valid(c, r.Validate()) {
		return
	}
	sub, err := s.webhooks.CreateSubscription(c.Request.Context(), r)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := toSubscriptionJSON(&sub.Subscription)
	out.Secret = sub.Secret
	c.JSON(http.StatusCreated, out)
}

func (s *Server) listSubscriptions(c *gin.Context) {
	page, ok := s.page(c)
	if !ok {
		return
	}
	subs, err := s.webhooks.Subscriptions(c.Request.Context(), page)
	listOf(s, c, subs, err, page.Limit, toSubscriptionJSON, func(x subscriptionJSON) int64 { return x.ID })
}

func (s *Server) getSubscription(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	sub, err := s.webhooks.Subscription(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toSubscriptionJSON(sub))
}

func (s *Server) deleteSubscription(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	if err := s.webhooks.DeleteSubscription(c.Request.Context(), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type deliveryAttemptJSON struct {
	Attempt    int       `json:"attempt"`
	At         time.Time `json:"at"`
	StatusCode int       `json:"statusCode,omitempty"`
	Error      string    `json:"error,omitempty"`
	DurationMs int64     `json:"durationMs"`
}

type deliveryJSON struct {
	ID             int64                 `json:"id"`
	SubscriptionID int64                 `json:"subscriptionId"`
	EventID        int64                 `json:"eventId"`
	EventType      string                `json:"eventType"`
	IssuanceID     int64                 `json:"issuanceId"`
	Status         string                `json:"status"`
	Attempts       int                   `json:"attempts"`
	NextAttemptAt  *time.Time            `json:"nextAttemptAt,omitempty"`
	DeliveredAt    *time.Time            `json:"deliveredAt,omitempty"`
	CreatedAt      time.Time             `json:"createdAt"`
	Log            []deliveryAttemptJSON `json:"log"`
}

func toDeliveryJSON(d *registry.Delivery) deliveryJSON {
	log := make([]deliveryAttemptJSON, len(d.Log))
	for i, a := range d.Log {
		log[i] = deliveryAttemptJSON{Attempt: a.Attempt, At: a.At, StatusCode: a.StatusCode, Error: a.Error, DurationMs: a.Duration.Milliseconds()}
	}
	return deliveryJSON{ID: d.ID, SubscriptionID: d.SubscriptionID, EventID: d.EventID, EventType: string(d.EventType),
		IssuanceID: d.IssuanceID, Status: string(d.Status), Attempts: d.Attempts, NextAttemptAt: d.NextAttemptAt,
		DeliveredAt: d.DeliveredAt, CreatedAt: d.CreatedAt, Log: log}
}

func (s *Server) listDeliveries(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	page, ok := s.page(c)
	if !ok {
		return
	}
	f := registry.DeliveryFilter{Status: registry.DeliveryStatus(c.Query("status")), Page: page}
	if !s.valid(c, f.Validate()) {
		return
	}
	ds, err := s.webhooks.Deliveries(c.Request.Context(), id, f)
	listOf(s, c, ds, err, page.Limit, toDeliveryJSON, func(x deliveryJSON) int64 { return x.ID })
}

func (s *Server) redeliver(c *gin.Context) {
	id, ok := s.pathID(c, "id")
	if !ok {
		return
	}
	deliveryID, ok := s.pathID(c, "deliveryId")
	if !ok {
		return
	}
	d, err := s.webhooks.Redeliver(c.Request.Context(), id, deliveryID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if s.wakeWebhooks != nil {
		s.wakeWebhooks()
	}
	c.JSON(http.StatusAccepted, toDeliveryJSON(d))
}
