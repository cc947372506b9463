package store

import (
	"context"
	"fmt"
	"time"

	"frontdesk/config"
)

// DemoHint tells a newcomer how to try the desk with the demo data.
type DemoHint struct {
	OrderNo   string
	LastFour  string
	Customer  string
	Describes string
}

// LoadDemo writes a few demo orders with shipments, dated around now, and
// returns how to verify as their customers. Loading twice changes nothing
// but the dates.
func LoadDemo(ctx context.Context, db *DB, now time.Time, loc *time.Location) ([]DemoHint, error) {
	day := func(days int) string { return now.In(loc).AddDate(0, 0, days).Format("2006-01-02") }
	orders := []Order{
		{No: "SO-1001", CustomerName: "王芳", Phone: "13800001234", PaidOn: day(-20), Deadline: day(10),
			Address: "上海市浦东新区张杨路 500 号 12 楼 1203 室", Region: "上海/浦东新区", InstallIncluded: true, Status: config.OrderShipped, Items: []Item{
				{Name: "布艺三人沙发", SKU: "SF-300", Quantity: 1, Category: config.Furniture, WarrantyMonths: 36},
				{Name: "钢化玻璃茶几", SKU: "TB-120", Quantity: 1, Category: config.Furniture, Glass: true, WarrantyMonths: 12},
			}},
		{No: "SO-1002", CustomerName: "王芳", Phone: "13800001234", PaidOn: day(-5), Deadline: day(25),
			Address: "上海市浦东新区张杨路 500 号 12 楼 1203 室", Region: "上海/浦东新区",
			Status: config.OrderInProduction, Urgent: true, Items: []Item{
				{Name: "实木定制衣柜", SKU: "WD-CUSTOM", Quantity: 1, Category: config.Furniture, CustomMade: true, WarrantyMonths: 60},
			}},
		{No: "SO-2001", CustomerName: "Li Lei", Phone: "13900005678", PaidOn: day(-30), Deadline: day(-3),
			Address: "北京市朝阳区建国路 88 号 3 号楼 702", Region: "北京/朝阳区",
			InstallIncluded: true, Status: config.OrderDelivered, Items: []Item{
				{Name: "浴室柜 80cm", SKU: "BC-80", Quantity: 1, Category: config.Bathroom, WarrantyMonths: 24},
				{Name: "无纺布壁纸", SKU: "WP-NW12", Quantity: 6, Category: config.Wallpaper, BatchNo: "B2611", WarrantyMonths: 12},
			}},
	}
	shipments := []Shipment{
		{OrderNo: "SO-1001", Carrier: "德邦物流", TrackingNo: "DPK2026112401", CarrierPhone: "95353", Packages: 3,
			Pieces: 5, VolumeM3: 2.6, FreightFeeCents: 28000, PackagingFeeCents: 6000, ContainsGlass: true,
			ShippedOn: day(0), ExpectedArrival: day(3)},
		{OrderNo: "SO-2001", Carrier: "顺丰快运", TrackingNo: "SF2026110902", CarrierPhone: "95338", Packages: 2,
			Pieces: 7, VolumeM3: 0.9, FreightFeeCents: 12000, ShippedOn: day(-8), ExpectedArrival: day(-4)},
	}
	err := db.Update(ctx, func(tx *Tx) error {
		for _, o := range orders {
			if err := tx.UpsertOrder(o, now); err != nil {
				return err
			}
		}
		for _, s := range shipments {
			if _, _, err := tx.AddShipment(s, now); err != nil {
				return err
			}
		}
		return demoProviders(tx) // providers.go
	})
	if err != nil {
		return nil, fmt.Errorf("store: demo data: %w", err)
	}
	return []DemoHint{
		{OrderNo: "SO-1001", LastFour: "1234", Customer: "王芳", Describes: "shipped today, two orders on one phone"},
		{OrderNo: "SO-2001", LastFour: "5678", Customer: "Li Lei", Describes: "delivered, bathroom and wallpaper"},
	}, nil
}
