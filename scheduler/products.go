package scheduler

import (
	"context"
	"time"
)

// ProductsDesk is what the product jobs ask of the desk (ARC-2, ARC-3).
type ProductsDesk interface {
	IssueWarrantyCards(ctx context.Context) (int, error)
	SendCareReminders(ctx context.Context) (int, error)
}

// WarrantyJob issues the electronic warranty cards of the orders received
// since it last looked, and tells the customers (ARC-2).
type WarrantyJob struct{ Desk ProductsDesk }

// Name implements Job.
func (WarrantyJob) Name() string { return "warranty" }

// Run implements Job.
func (j WarrantyJob) Run(ctx context.Context, _ time.Time) error {
	return whenWired(j.Desk != nil, func() (int, error) { return j.Desk.IssueWarrantyCards(ctx) })
}

// CareJob sends the care reminders that are due, in opening hours, at most
// one a week to a customer (ARC-3).
type CareJob struct{ Desk ProductsDesk }

// Name implements Job.
func (CareJob) Name() string { return "care" }

// Run implements Job.
func (j CareJob) Run(ctx context.Context, _ time.Time) error {
	return whenWired(j.Desk != nil, func() (int, error) { return j.Desk.SendCareReminders(ctx) })
}
