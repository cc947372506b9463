package dialogstate

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"frontdesk/conversations"
	"frontdesk/internal/testkit/base"
)

// KeepEncoded keeps what Keep keeps: the desk hands it the bytes it encoded
// for the store, and the next Load reads the same state and version; an
// older version does not overwrite a newer one, as with Keep.
func TestKeepEncodedIsKeep(t *testing.T) {
	ctx := context.Background()
	r := NewRedis(base.Redis(t), base.RedisPrefix(t), time.Minute)
	st := conversations.State{Step: "order_no", OrderNo: "SO-1001", Failures: 2}
	data, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.KeepEncoded(ctx, "web:1", data, 3); err != nil {
		t.Fatal(err)
	}
	got, v, err := r.Load(ctx, "web:1")
	if err != nil || v != 3 || got.OrderNo != "SO-1001" || got.Failures != 2 || got.Step != st.Step {
		t.Fatalf("Load = %+v, %d, %v", got, v, err)
	}
	if err := r.KeepEncoded(ctx, "web:1", []byte(`{"step":"menu"}`), 2); err != nil {
		t.Fatal(err)
	}
	if got, v, _ := r.Load(ctx, "web:1"); v != 3 || got.OrderNo != "SO-1001" {
		t.Fatalf("an older version overwrote the copy: %+v, %d", got, v)
	}
}
