package store

import (
	"context"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
)

// Grants are summed per day for the digest; the queues list what waits.
// rule: APR-1, WAL-6, CMP-4
func TestGrantsAndQueues(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	order := sofaOrder("SO-7", "13800001234")
	order.Items = append(order.Items, Item{Name: "无纺布壁纸", SKU: "WP-1", Quantity: 10, Category: config.Wallpaper, BatchNo: "B1"})
	if err := db.UpsertOrder(ctx, order, t0); err != nil {
		t.Fatal(err)
	}
	var money, complaint, minor cases.Case
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if money, err = tx.OpenCase(cases.Case{Kind: config.KindQualityDefect, OrderNo: "SO-7", Phone: "13800001234"}, t0, shanghai); err != nil {
			return err
		}
		if complaint, err = tx.OpenCase(cases.Case{Kind: config.KindComplaint, Severity: "major", Phone: "13800001234"}, t0, shanghai); err != nil {
			return err
		}
		if minor, err = tx.OpenCase(cases.Case{Kind: config.KindComplaint, Phone: "13800001234"}, t0, shanghai); err != nil {
			return err
		}
		if err := tx.SaveCaseDetails(money.ID, map[string]string{"approval": "pending", "approval_rolls": "5"}); err != nil {
			return err
		}
		for _, g := range []Grant{{CaseID: money.ID, At: t0, Kind: "compensation", Yuan: 300, DecidedBy: "小王"},
			{CaseID: money.ID, At: t0.Add(time.Hour), Kind: "compensation", Rolls: 5, DecidedBy: "李主管 and 张经理"},
			{CaseID: money.ID, At: t0.Add(2 * time.Hour), Kind: "advance", Yuan: 400, DecidedBy: "小王"},
			{CaseID: money.ID, At: t0.AddDate(0, 0, 1), Kind: "compensation", Yuan: 9999, DecidedBy: "小王"}} {
			if err := tx.AddGrant(g); err != nil {
				return err
			}
		}
		wall, err := tx.OrderHasWallpaperInTx("SO-7", []int{3})
		if err != nil || !wall {
			t.Errorf("line 3 is wallpaper: %v %v", wall, err)
		}
		if wall, _ := tx.OrderHasWallpaperInTx("SO-7", []int{1}); wall {
			t.Error("line 1 is a sofa")
		}
		if wall, _ := tx.OrderHasWallpaperInTx("SO-7", nil); !wall {
			t.Error("the order has wallpaper")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	g, err := db.GrantedBetween(ctx, t0.Add(-time.Hour), t0.Add(12*time.Hour))
	if err != nil || g != (Granted{Count: 3, CompensationYuan: 300, Rolls: 5, AdvanceYuan: 400}) {
		t.Fatalf("granted %+v %v", g, err)
	}
	if err := db.Update(ctx, func(tx *Tx) error { return tx.AddGrant(Grant{CaseID: money.ID, At: t0, Kind: "gift", DecidedBy: "x"}) }); err == nil {
		t.Fatal("a grant of an unknown kind was kept")
	}
	pending, err := db.PendingApprovals(ctx)
	if err != nil || len(pending) != 1 || pending[0].ID != money.ID {
		t.Fatalf("pending %+v %v", pending, err)
	}
	major, err := db.OpenMajorComplaints(ctx)
	if err != nil || len(major) != 1 || major[0].ID != complaint.ID || minor.ID == complaint.ID {
		t.Fatalf("major %+v %v", major, err)
	}
}
