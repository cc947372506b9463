package staffweb

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
)

// The managers' queue on the staff page (APR-1, CMP-4): the money remedies
// waiting for approval, each with Approve and Reject for those who may, and
// the open major complaints with their task force and what is still to do.

func (p *Page) approvalRoutes(handle func(pattern string, h http.HandlerFunc)) {
	handle("GET /staff/approvals", p.auth(p.approvals))
}

// pendingRow is one money remedy in the queue.
type pendingRow struct {
	Case     cases.Case
	Headline string
	AskedBy  string
	Waiting  string
	Mine     bool
}

// complaintRow is one open major complaint in the queue.
type complaintRow struct {
	Case      cases.Case
	TaskForce map[string]string
	Solution  bool // the written solution is recorded
	Callback  bool // the general manager's call-back is recorded
}

func (p *Page) approvals(w http.ResponseWriter, r *http.Request, me staff) {
	pending, err := p.Cases.PendingApprovals(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	major, err := p.Cases.OpenMajorComplaints(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	var rows []pendingRow
	for _, c := range pending {
		ap, ok := cases.PendingApproval(c)
		if !ok {
			continue
		}
		rows = append(rows, pendingRow{Case: c, Headline: bot.ApprovalHeadline(me.L.lang, ap), AskedBy: ap.AskedBy,
			Waiting: p.roleNames(me, ap.Waiting), Mine: bot.MayApprove(c, me.Account)})
	}
	var complaints []complaintRow
	for _, c := range major {
		complaints = append(complaints, complaintRow{Case: c, TaskForce: cases.TaskForceOf(c),
			Solution: c.Details[string(cases.WrittenSolution)] != "", Callback: c.Details[string(cases.GMCallback)] != ""})
	}
	p.render(w, http.StatusOK, "approvals.html", map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Pending": rows,
		"Complaints": complaints})
}

func (p *Page) roleNames(me staff, roles []cases.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = me.L.Role(r)
	}
	return strings.Join(names, " / ")
}

// backTo is where a staff action returns: the queue when it came from
// there, else the case.
func backTo(r *http.Request, no string) string {
	if r.FormValue("back") == "approvals" {
		return "/staff/approvals"
	}
	return "/staff/case/" + url.PathEscape(no)
}

// complaintValue builds the value of a task force from the form's three
// choices (CMP-4); other actions keep their value.
func complaintValue(r *http.Request, kind, value string) string {
	if kind != bot.ActTaskForce || value != "" {
		return value
	}
	var parts []string
	for _, side := range cases.TaskForceSides {
		parts = append(parts, side+"="+strings.TrimSpace(r.FormValue("tf_"+side)))
	}
	return strings.Join(parts, ", ")
}

// moneyView is what the case page shows of the case's money remedy: what
// waits (in the viewer's language) and who decided, when.
type moneyView struct {
	Headline string
	AskedBy  string
	Decided  string
}

func (p *Page) moneyView(c cases.Case, me staff) moneyView {
	var v moneyView
	if ap, ok := cases.PendingApproval(c); ok {
		v.Headline, v.AskedBy = bot.ApprovalHeadline(me.L.lang, ap), ap.AskedBy
	}
	if state, by, at := cases.Decided(c); by != "" && (state == "approved" || state == "rejected") {
		v.Decided = me.L.T("staff.approval."+state+"_by", "By", me.L.people(by), "At", p.clock(at))
	}
	return v
}

// complaintView is the complaint part of the case page (CMP-4, CMP-5).
type complaintView struct {
	MajorSince string
	TaskForce  map[string]string
	Sides      []string
	Staff      []string // the names a task force is chosen from
	Details    map[string]string
	Fields     []string // what is recorded on a complaint, in order
	IsGM       bool
}

func (p *Page) complaintView(ctx context.Context, c cases.Case, me staff) *complaintView {
	if c.Kind != config.KindComplaint {
		return nil
	}
	v := &complaintView{TaskForce: cases.TaskForceOf(c), Sides: cases.TaskForceSides, Details: c.Details,
		IsGM:   me.Role == cases.GeneralManager,
		Fields: []string{bot.ActWrittenSolution, bot.ActGMCallback, bot.ActResponsible, bot.ActPrevention}}
	if at, err := time.Parse(time.RFC3339, c.Details["major_complaint_at"]); err == nil {
		v.MajorSince = p.clock(at)
	}
	if accounts, err := p.Desk.Accounts(ctx); err == nil {
		for _, a := range accounts {
			if !a.Disabled {
				v.Staff = append(v.Staff, a.Name)
			}
		}
	}
	return v
}
