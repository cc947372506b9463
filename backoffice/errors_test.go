package backoffice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"frontdesk/cases"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

func TestProviderNameClashIsAConflict(t *testing.T) {
	h := newHarness(t, token)
	h.do("POST", "/api/v1/providers", `{"name":"张师傅","region":"浦东"}`)
	r := h.do("POST", "/api/v1/providers", `{"name":"李师傅","region":"浦东"}`)
	id := jsonNumber(r.body["provider"].(map[string]any)["id"])
	r = h.do("PUT", "/api/v1/providers/"+id, `{"name":"张师傅","region":"浦东"}`)
	msg, _ := r.body["error"].(map[string]any)["message"].(string)
	if r.status != 409 || r.code() != "conflict" || r.field() != "name" || msg != `provider "张师傅" in "浦东" exists already` {
		t.Fatalf("rename onto another provider: %d %s", r.status, r.raw)
	}
}

// Every error the API meets is answered by its code, with the message the
// store or the records wrote for a person, and nothing of the internals.
func TestErrorsAreAnsweredByTheirCode(t *testing.T) {
	var logs strings.Builder
	a := &API{Log: slog.New(slog.NewTextHandler(&logs, nil))}
	driver := errors.New("database or disk is full (13)")
	tests := []struct {
		name         string
		err          error
		status       int
		code, field  string
		message      string
		retry        string
		loggedDetail string
	}{
		{"store validation", store.Order{No: "SO-1", CustomerName: "a", Phone: "1"}.Validate(),
			400, "invalid", "", `order SO-1: phone "1" has fewer than four digits`, "", ""},
		{"record validation", bad("items[0].quantity", "want a whole number from 1 to 100000"),
			400, "invalid", "items[0].quantity", "items[0].quantity: want a whole number from 1 to 100000", "", ""},
		{"not found", fmt.Errorf("lookup: %w", store.ErrNotFound), 404, "not_found", "", "not found", "", ""},
		{"duplicate", store.ErrDuplicate, 409, "conflict", "", "this inbound update was processed already", "", ""},
		{"disk full", fmt.Errorf("store: commit: %w", &cases.Error{Code: cases.Unavailable, Message: "the disk is full; try again later", Err: driver}),
			503, "unavailable", "", "the disk is full; try again later", "30", "database or disk is full"},
		{"closed", store.ErrClosed, 503, "unavailable", "", cases.ErrorMessage(store.ErrClosed), "30", "shutting down"},
		{"bug", fmt.Errorf("store: order SO-1: %w", errors.New("no such column: /srv/frontdesk")),
			500, "internal", "", "the desk could not do that; try again", "", "no such column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs.Reset()
			rec := httptest.NewRecorder()
			a.fail(rec, httptest.NewRequest("POST", "/api/v1/orders", nil), tt.err)
			var got struct{ Error map[string]string }
			json.NewDecoder(rec.Body).Decode(&got)
			if rec.Code != tt.status || got.Error["code"] != tt.code || got.Error["field"] != tt.field || got.Error["message"] != tt.message {
				t.Errorf("got %d %v", rec.Code, got.Error)
			}
			if rec.Header().Get("Retry-After") != tt.retry {
				t.Errorf("Retry-After %q", rec.Header().Get("Retry-After"))
			}
			if strings.Contains(got.Error["message"], "store:") || strings.Contains(got.Error["message"], "/srv") {
				t.Errorf("message %q", got.Error["message"])
			}
			if !strings.Contains(logs.String(), tt.loggedDetail) || (tt.loggedDetail != "" && !strings.Contains(logs.String(), "component=backoffice")) {
				t.Errorf("log: %s", logs.String())
			}
		})
	}
}

func TestImportRowErrorsSayWhatIsWrong(t *testing.T) {
	db := testkit.OpenStore(t)
	ctx := context.Background()
	shipments := "order_no,carrier,tracking_no,shipped_on,expected_arrival\n" +
		"SO-9999,德邦物流,DPK9999,2026-11-24,2026-11-27\n"
	rep, err := Import(ctx, db, "shipments", strings.NewReader(shipments), shanghai, now, false)
	if !errors.Is(err, ErrRejected) || len(rep.Errors) != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if got := rep.Errors[0].String(); got != "line 2: shipment DPK9999: there is no order SO-9999" {
		t.Fatalf("row error %q", got)
	}
}
