package config

import (
	"strings"
	"testing"
)

// TELEGRAM_API_ENDPOINT takes a base URL or the library's own form; anything
// else stops the start naming the variable with an example.
func TestTelegramEndpointForms(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"http://127.0.0.1:8081", "http://127.0.0.1:8081"},
		{"http://127.0.0.1:8081/", "http://127.0.0.1:8081"},
		{"http://127.0.0.1:8081/bot%s/%s", "http://127.0.0.1:8081"},
		{"https://api.telegram.org/bot%s/%s", "https://api.telegram.org"},
		{" https://proxy.example/tg ", "https://proxy.example/tg"},
	} {
		if got, err := TelegramEndpointBase(tt.in); err != nil || got != tt.want {
			t.Errorf("TelegramEndpointBase(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"127.0.0.1:8081", "localhost", "ftp://host", "http://", "http://host/bot%s", "http://host/x?y=1",
		"not a url at all", "http://host/bot{token}/{method}"} {
		_, err := TelegramEndpointBase(bad)
		if err == nil || !strings.Contains(err.Error(), "TELEGRAM_API_ENDPOINT") || !strings.Contains(err.Error(), "http://127.0.0.1:8081") {
			t.Errorf("TelegramEndpointBase(%q): %v", bad, err)
		}
	}
	c := Default()
	c.Telegram.APIEndpoint = "127.0.0.1:8081"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "TELEGRAM_API_ENDPOINT") {
		t.Fatalf("Validate: %v", err)
	}
}

// The shop's name and phone are configuration, checked at start.
func TestShopSettings(t *testing.T) {
	c := Default()
	c.Shop = Shop{Name: "林氏家居售后", Phone: "400-820-1234"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := c.Calendar.Weekdays(); len(got) != 6 || got[0].String() != "Monday" {
		t.Fatalf("weekdays: %v", got)
	}
	if got := c.Calendar.Hours(); strings.Join(got, ",") != "09:00–12:00,13:30–18:00" {
		t.Fatalf("hours: %v", got)
	}
	for _, bad := range []Shop{{Phone: "call us"}, {Phone: "<b>1</b>"}, {Name: strings.Repeat("店", 41)}} {
		c.Shop = bad
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "FRONTDESK_SHOP_") {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}
