package config

import (
	"fmt"
	"net/url"
	"strings"
)

// libraryEndpoint is the end of the Bot API endpoint in the Telegram
// library's own form (tgbotapi.APIEndpoint: "https://api.telegram.org/bot%s/%s").
const libraryEndpoint = "/bot%s/%s"

// TelegramEndpointBase returns the Bot API's base URL from
// TELEGRAM_API_ENDPOINT, given as a base ("http://127.0.0.1:8081") or in
// the library's form ("http://127.0.0.1:8081/bot%s/%s"). Anything that is
// not an http(s) URL with a host is refused with the variable and an
// example.
func TelegramEndpointBase(endpoint string) (string, error) {
	base := strings.TrimRight(strings.TrimSuffix(strings.TrimSpace(endpoint), libraryEndpoint), "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" ||
		strings.ContainsAny(base, "%{} ") {
		return "", fmt.Errorf("config: telegram.api_endpoint (TELEGRAM_API_ENDPOINT) %q is not a Bot API URL; "+
			"give its base, e.g. http://127.0.0.1:8081, or the library's form http://127.0.0.1:8081/bot%%s/%%s", endpoint)
	}
	return base, nil
}
