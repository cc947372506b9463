package jsonhttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"frontdesk/cases"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDecodeNamesTheProblem(t *testing.T) {
	type body struct {
		Name  string `json:"name"`
		Items []struct {
			Qty int `json:"qty"`
		} `json:"items"`
	}
	tests := []struct {
		ct, in      string
		status      int
		code, field string
	}{
		{"application/json", `{"name":"a","items":[{"qty":1}]}`, 200, "", ""},
		{"", `{"name":"a"}`, 200, "", ""},
		{"text/plain", `{}`, 415, "bad_content_type", ""},
		{"application/json", `{"name":`, 400, "bad_json", ""},
		{"application/json", ``, 400, "empty_body", ""},
		{"application/json", `{"items":[{"qty":"two"}]}`, 400, "bad_type", "items.qty"},
		{"application/json", `{"nmae":"a"}`, 400, "unknown_field", "nmae"},
		{"application/json", `{}{}`, 400, "bad_request", ""},
		{"application/json", `{"name":"` + strings.Repeat("x", 200) + `"}`, 413, "too_large", ""},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", "/", strings.NewReader(tt.in))
		if tt.ct != "" {
			req.Header.Set("Content-Type", tt.ct)
		}
		rec := httptest.NewRecorder()
		var v body
		ok := Decode(rec, req, &v, 100)
		if tt.status == 200 {
			if !ok {
				t.Errorf("%q refused: %s", tt.in, rec.Body)
			}
			continue
		}
		var got struct{ Error map[string]string }
		json.NewDecoder(rec.Body).Decode(&got)
		if ok || rec.Code != tt.status || got.Error["code"] != tt.code || got.Error["field"] != tt.field {
			t.Errorf("%q: %d %v", tt.in, rec.Code, got.Error)
		}
	}
	rec := httptest.NewRecorder()
	Error(rec, http.StatusNotFound, "x", "", "y")
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), `"code":"x"`) || strings.Contains(rec.Body.String(), "field") {
		t.Fatalf("error: %s", rec.Body)
	}
}

func TestWriteErrorByCode(t *testing.T) {
	driver := errors.New("database or disk is full (13) /var/lib/frontdesk/frontdesk.db")
	tests := []struct {
		name       string
		err        error
		status     int
		code       string
		message    string
		field      string
		retryAfter string
		logged     bool
	}{
		{"invalid", fmt.Errorf("store: %w", cases.Errorf(cases.Invalid, "order 7: phone %q has fewer than four digits", "12")),
			400, "invalid", `order 7: phone "12" has fewer than four digits`, "", "", false},
		{"invalid with a field", InField("items[0].category", cases.Errorf(cases.Invalid, "want furniture or bathroom")),
			400, "invalid", "want furniture or bathroom", "items[0].category", "", false},
		{"conflict with a field", fmt.Errorf("put: %w", InField("name", cases.Errorf(cases.Conflict, "provider exists already"))),
			409, "conflict", "provider exists already", "name", "", false},
		{"no field on a 500", InField("name", errors.New("disk I/O error")), 500, "internal", "the desk could not do that; try again", "", "", true},
		{"not found", fmt.Errorf("store: %w", cases.Errorf(cases.NotFound, "no case AS-1")), 404, "not_found", "no case AS-1", "", "", false},
		{"conflict", cases.Errorf(cases.Conflict, "provider exists already"), 409, "conflict", "provider exists already", "", "", false},
		{"forbidden", cases.Errorf(cases.Forbidden, "only a lead may reopen a case"), 403, "forbidden", "only a lead may reopen a case", "", "", false},
		{"unavailable", fmt.Errorf("store: commit: %w", &cases.Error{Code: cases.Unavailable, Message: "the disk is full; try again later", Err: driver}),
			503, "unavailable", "the disk is full; try again later", "", "30", true},
		{"internal", fmt.Errorf("store: order 7: %w", driver), 500, "internal", "the desk could not do that; try again", "", "", true},
		{"coded internal", cases.Errorf(cases.Internal, "secret detail"), 500, "internal", "the desk could not do that; try again", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs strings.Builder
			log := slog.New(slog.NewTextHandler(&logs, nil))
			rec := httptest.NewRecorder()
			WriteError(rec, httptest.NewRequest("POST", "/api/v1/orders", nil), log, tt.err)
			var got struct{ Error map[string]string }
			if err := json.NewDecoder(rec.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if rec.Code != tt.status || got.Error["code"] != tt.code || got.Error["message"] != tt.message || got.Error["field"] != tt.field {
				t.Errorf("got %d %v", rec.Code, got.Error)
			}
			if h := rec.Header().Get("Retry-After"); h != tt.retryAfter {
				t.Errorf("Retry-After %q", h)
			}
			if strings.Contains(got.Error["message"], "/var/lib") || strings.Contains(got.Error["message"], "secret") {
				t.Errorf("the detail reached the client: %q", got.Error["message"])
			}
			if logged := strings.Contains(logs.String(), "request failed"); logged != tt.logged {
				t.Errorf("logged %v: %s", logged, logs.String())
			}
			if tt.logged && !strings.Contains(logs.String(), "path=/api/v1/orders") {
				t.Errorf("the log does not say where: %s", logs.String())
			}
		})
	}
}

func TestStatusCoversEveryCode(t *testing.T) {
	for code, want := range map[cases.Code]int{cases.Invalid: 400, cases.NotFound: 404, cases.Conflict: 409,
		cases.Forbidden: 403, cases.Unavailable: 503, cases.Internal: 500, "something new": 500} {
		if got := Status(code); got != want {
			t.Errorf("Status(%q) = %d, want %d", code, got, want)
		}
	}
}
