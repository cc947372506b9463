package slack

import (
	"context"
	"fmt"
	"strings"

	"frontdesk/conversations"
	"frontdesk/store"
)

// caseSearch is the workbench's search, when the store the Slack desk reads
// has it: /case finds a case by phone, order number or name too (STF-3).
type caseSearch interface {
	Workbench(ctx context.Context, q store.WorkbenchQuery) ([]store.WorkbenchRow, error)
}

// maxFound is how many cases /case lists for one search.
const maxFound = 10

// search answers /case <phone | order | name | number start> with the
// matching cases, the next due first, in the staff member's language; ""
// when the store cannot search or nothing matches.
func (s *Slack) search(ctx context.Context, arg string, who store.Account) string {
	finder, ok := s.cases.(caseSearch)
	if !ok || arg == "" {
		return ""
	}
	rows, err := finder.Workbench(ctx, store.WorkbenchQuery{Search: arg, Status: "all", Viewer: who.Login, Now: s.now(), Limit: maxFound + 1})
	if err != nil || len(rows) == 0 {
		return ""
	}
	lang := s.langOf(who) // lang.go: the account's, else the channel's
	var b strings.Builder
	b.WriteString(conversations.T(lang, "staff.slack.found", conversations.Args{"Search": escape(arg)}) + "\n")
	for i, r := range rows {
		if i == maxFound {
			b.WriteString(conversations.T(lang, "staff.slack.more") + "\n")
			break
		}
		fmt.Fprintf(&b, "• *%s* · %s · %s · %s", r.Number, conversations.Label(lang, "kind.", string(r.Kind)),
			conversations.Label(lang, "staff.status.", string(r.Status)), escape(r.CustomerName))
		if r.OrderNo != "" {
			fmt.Fprintf(&b, " · %s", escape(r.OrderNo))
		}
		if r.Assignee != "" {
			fmt.Fprintf(&b, " · %s", staffText(r.Assignee))
		}
		b.WriteString("\n")
	}
	return b.String()
}
