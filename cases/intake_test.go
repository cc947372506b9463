package cases

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestIntakeCheck tidies what staff typed and lists every field that is
// wrong, each once, in the order of the form.
// rule: INT-1
func TestIntakeCheck(t *testing.T) {
	good, probs := Intake{Kind: " repair ", Channel: "phone", CustomerName: " 王芳 ", Phone: "+86 138-0000-1234",
		Items: []string{" 沙发 ", "", "  "}, Description: " 扶手松动\n第二行 "}.Check()
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if good.Kind != "repair" || good.CustomerName != "王芳" || good.Phone != "13800001234" || !slices.Equal(good.Items, []string{"沙发"}) ||
		good.Description != "扶手松动\n第二行" || good.Severity != Normal {
		t.Fatalf("tidied: %+v", good)
	}
	if in, probs := (Intake{Kind: "inquiry", Channel: "fax", OrderNo: "SO-1"}).Check(); len(probs) != 0 || in.Phone != "" {
		t.Errorf("an order alone: %v", probs)
	}
	tests := []struct {
		in     Intake
		fields []string
	}{
		{Intake{}, []string{"kind", "channel", "phone", "customer_name"}},
		{Intake{Kind: "refund", Channel: "email", Phone: "12", CustomerName: "a"}, []string{"kind", "channel", "phone"}},
		{Intake{Kind: "repair", Channel: "store", Phone: "138 0000 1234x", CustomerName: "王\u202e芳"}, []string{"customer_name", "phone"}},
		{Intake{Kind: "repair", Channel: "letter", OrderNo: "SO 1; DROP", Severity: "urgent"}, []string{"order_no", "severity"}},
		{Intake{Kind: "repair", Channel: "phone", Phone: "13800001234", CustomerName: "x", Items: []string{"ok", "a<b", strings.Repeat("长", 101)},
			Description: "bell\a"}, []string{"items[1]", "items[2]", "description"}},
		{Intake{Kind: "repair", Channel: "phone", Phone: "13800001234", CustomerName: "x", Items: make([]string, MaxIntakeItems+1)}, []string{"items"}},
	}
	for _, tt := range tests {
		_, probs := tt.in.Check()
		var got []string
		for _, p := range probs {
			got = append(got, p.Field())
			if ErrorCode(p) != Invalid || !strings.HasPrefix(p.Error(), p.Field()+": ") || ErrorMessage(p) == "" {
				t.Errorf("%+v: a problem without its code or message: %v", tt.in, p)
			}
		}
		if !slices.Equal(got, tt.fields) {
			t.Errorf("%+v: fields %v, want %v", tt.in, got, tt.fields)
		}
	}
	_, err := Intake{Kind: "repair"}.Validate()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field() != "channel" {
		t.Errorf("Validate: %v", err)
	}
}
