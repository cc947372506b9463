package cases

import (
	"strings"
	"testing"
)

// A canned reply fills in the case's number, the customer, the order and
// the clerk; an unknown placeholder, an empty or an oversized reply is
// refused with the field named.
// rule: STF-4
func TestCannedReplies(t *testing.T) {
	c := Case{Number: "AS-20261124-0001", CustomerName: "王芳", OrderNo: "SO-1"}
	for _, tc := range []struct {
		name, body, want, wantErr string
	}{
		{name: "all placeholders", body: "{customer}您好，服务单 {case}（订单 {order}）由{staff}跟进。",
			want: "王芳您好，服务单 AS-20261124-0001（订单 SO-1）由小李跟进。"},
		{name: "plain text", body: "Thank you, we are on it.", want: "Thank you, we are on it."},
		{name: "braces that are no placeholder", body: "见 { 附件 }", want: "见 { 附件 }"},
		{name: "unknown placeholder", body: "您好 {name}", wantErr: "unknown placeholder {name}"},
		{name: "Go template", body: "您好 {{.Case}}", wantErr: "unknown placeholder {.Case}"},
		{name: "empty", body: "  ", wantErr: "body: the reply is empty"},
		{name: "oversized", body: strings.Repeat("好", 2001), wantErr: "body: at most 2000 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ExpandCanned(tc.body, c, "小李")
			if tc.wantErr != "" {
				if err == nil || ErrorCode(err) != Invalid || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want Invalid %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
