package store

import "fmt"

// recordDelivery keeps the day an order's goods arrived (RET-5: the return
// window runs from it). An order sent again without the day keeps the one
// recorded.
func (tx *Tx) recordDelivery(orderNo, day string) error {
	if day == "" {
		return nil
	}
	if !validDate(day) {
		return invalid("order %s: delivered_on %q: want YYYY-MM-DD", orderNo, day)
	}
	if _, err := tx.exec("UPDATE orders SET delivered_on = ? WHERE order_no = ?", day, orderNo); err != nil {
		return fmt.Errorf("store: delivery of %s: %w", orderNo, err)
	}
	return nil
}
