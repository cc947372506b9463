package jsonhttp

import (
	"encoding/json"
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
