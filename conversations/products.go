package conversations

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"frontdesk/config"
)

// The customer's products (002 五, 003 用户档案): what they bought, with
// the purchase date, the warranty end, the services and cases so far and
// the electronic warranty card (ARC-1, ARC-2); a repair or a question
// started from a product; and the care reminders' "stop" (ARC-3).

// ProductsEnv is what the product dialogs are configured with.
type ProductsEnv struct {
	// Knowledge is the configured knowledge base (ARC-4).
	Knowledge []config.KBEntry
	// BaseURL is where the customer opens a warranty card:
	// BaseURL + "/warranty/" + token.
	BaseURL string
}

// ArchiveLookup is what a Lookup may tell of a customer's products beyond
// their orders: the service visits, the cases and the warranty cards.
// Without it "my products" shows the orders' items alone.
type ArchiveLookup interface {
	Archive(ctx context.Context, phone string) (Archive, error)
}

// Archive is the customer's product history (003 用户档案).
type Archive struct {
	Services []Service
	Cases    []ProductCase
	Cards    []Card
}

// Service is a finished installation or repair visit of an order.
type Service struct {
	OrderNo string
	Kind    string // install, repair
	Done    time.Time
}

// ProductCase is a case about an order, open or resolved; Lines are the
// items it names (none: the whole order).
type ProductCase struct {
	Number  string
	Kind    string
	Status  string
	OrderNo string
	Lines   []int
}

// Card is the electronic warranty card of one item (ARC-2).
type Card struct {
	OrderNo string
	Line    int
	Number  string
	Token   string
}

// CareStop records that the customer wants no more care reminders (ARC-3).
type CareStop struct{}

func (CareStop) isEffect() {}

// Flow, pending and button data of the products.
const (
	pendingProducts = "products"
	flowAsk         = "ask"

	choiceProducts  = "menu:products"
	choiceCareStop  = "care:stop"
	prefixProduct   = "prod:"
	maxProductsShow = 8
	maxButtonData   = 64 // bytes of a Telegram button's data
)

func init() {
	flows[flowAsk] = &flowDef{name: flowAsk, verify: true, questions: []question{
		{key: "question", prompt: func(d *dialog) string {
			return d.t("q.product_question", Args{"Product": d.productName()})
		}, text: describeText},
	}, finish: finishAsk}
}

// product is one item of an order, as "my products" shows it.
type product struct {
	order Order
	item  Item
}

// showProducts lists the verified customer's products (ARC-1).
func (d *dialog) showProducts() error {
	orders, err := d.env.Lookup.OrdersByPhone(d.ctx, d.st.Verified.Phone)
	if err != nil {
		return errLookup("orders", err)
	}
	var arc Archive
	if lk, ok := d.env.Lookup.(ArchiveLookup); ok {
		if arc, err = lk.Archive(d.ctx, d.st.Verified.Phone); err != nil {
			return errLookup("archive", err)
		}
	}
	var all []product
	for _, o := range orders {
		for _, it := range o.Items {
			all = append(all, product{o, it})
		}
	}
	if len(all) == 0 {
		d.say(d.t("products.none"), backButtons(d.lang()))
		return nil
	}
	blocks := []string{d.t("products.header")}
	var rows [][]Button
	for i, p := range all {
		if i == maxProductsShow {
			blocks = append(blocks, d.t("products.more"))
			break
		}
		blocks = append(blocks, d.productBlock(p, arc))
		name := truncateRunes(p.item.Name, 10)
		ref := p.order.No + ":" + strconv.Itoa(p.item.Line)
		if len(prefixProduct+"repair:"+ref) > maxButtonData {
			continue // Telegram refuses longer button data; the text still lists it
		}
		rows = append(rows, []Button{
			{Label: d.t("btn.product_repair", Args{"Product": name}), Data: prefixProduct + "repair:" + ref},
			{Label: d.t("btn.product_ask", Args{"Product": name}), Data: prefixProduct + "ask:" + ref},
		})
	}
	d.say(strings.Join(blocks, "\n\n"), append(rows, backButtons(d.lang())[0]))
	return nil
}

// productBlock is one product: name and order, purchase date and warranty
// end, the services and cases of it, and its warranty card.
func (d *dialog) productBlock(p product, arc Archive) string {
	lines := []string{d.t("products.item", Args{"Product": p.item.Name, "Quantity": p.item.Quantity, "Order": p.order.No})}
	bought := p.order.PaidOn
	if bought == "" {
		bought = d.t("products.unknown_date")
	}
	lines = append(lines, d.t("products.bought", Args{"Date": bought, "Warranty": d.warrantyLine(p)}))
	var services []string
	for _, s := range arc.Services {
		if s.OrderNo == p.order.No {
			services = append(services, s.Done.In(d.env.loc()).Format("2006-01-02")+" "+d.t("svc."+s.Kind))
		}
	}
	if len(services) > 0 {
		lines = append(lines, d.t("products.services", Args{"Services": strings.Join(services, d.t("list.sep"))}))
	}
	var cs []string
	for _, c := range arc.Cases {
		if c.OrderNo == p.order.No && (len(c.Lines) == 0 || slices.Contains(c.Lines, p.item.Line)) {
			cs = append(cs, d.t("products.case", Args{"Case": c.Number, "Kind": label(d.lang(), "kind.", c.Kind),
				"Status": label(d.lang(), "case.", c.Status)}))
		}
	}
	if len(cs) > 0 {
		lines = append(lines, d.t("products.cases", Args{"Cases": strings.Join(cs, d.t("list.sep"))}))
	}
	for _, c := range arc.Cards {
		if c.OrderNo == p.order.No && c.Line == p.item.Line {
			lines = append(lines, d.t("products.card", Args{"Number": c.Number, "Link": CardLink(d.env.Products.BaseURL, c.Token)}))
		}
	}
	return strings.Join(lines, "\n")
}

// CardLink is the address of a warranty card's page.
func CardLink(base, token string) string {
	return strings.TrimSuffix(base, "/") + "/warranty/" + token
}

// WarrantyEnd is the last day of an item's warranty, counted from the day
// of purchase (003 售后服务分工 3); "" when either is unknown.
func WarrantyEnd(paidOn string, months int, loc *time.Location) string {
	paid, err := time.ParseInLocation("2006-01-02", paidOn, loc)
	if err != nil || months <= 0 {
		return ""
	}
	return paid.AddDate(0, months, -1).Format("2006-01-02")
}

func (d *dialog) warrantyLine(p product) string {
	end := WarrantyEnd(p.order.PaidOn, p.item.WarrantyMonths, d.env.loc())
	if end == "" {
		return d.t("products.warranty_unknown")
	}
	if d.env.Now.In(d.env.loc()).Format("2006-01-02") > end {
		return d.t("products.warranty_expired", Args{"Date": end})
	}
	return d.t("products.warranty_until", Args{"Date": end})
}

// productChoice starts a repair or a question from a product, which must
// be one of the verified customer's own (the button data can be forged).
func (d *dialog) productChoice(data string) error {
	if d.st.Verified == nil {
		return d.start(pendingProducts)
	}
	parts := strings.Split(strings.TrimPrefix(data, prefixProduct), ":")
	if len(parts) != 3 || (parts[0] != "repair" && parts[0] != "ask") {
		d.reset()
		d.say(d.t("stale.button"), menuButtons(d.lang()))
		return nil
	}
	orders, err := d.env.Lookup.OrdersByPhone(d.ctx, d.st.Verified.Phone)
	if err != nil {
		return errLookup("orders", err)
	}
	line := atoi(parts[2])
	for _, o := range orders {
		if o.No != parts[1] || !slices.ContainsFunc(o.Items, func(it Item) bool { return it.Line == line }) {
			continue
		}
		draft := Draft{OrderNo: o.No, Lines: []int{line}}
		if parts[0] == "repair" {
			return d.startFlowWith(flowRepair, draft)
		}
		return d.startFlowWith(flowAsk, draft)
	}
	d.reset()
	d.say(d.t("products.not_yours"), backButtons(d.lang()))
	return nil
}

// productName is the name of the draft's item.
func (d *dialog) productName() string {
	items, err := d.selectedItems()
	if err != nil || len(items) == 0 {
		return ""
	}
	return items[0].Name
}

// finishAsk answers a question about a product from the knowledge base of
// its category; with no answer there, the question goes to staff as an
// inquiry about that product (ARC-4: answers before a handover).
func finishAsk(d *dialog) error {
	items, err := d.selectedItems()
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return fmt.Errorf("conversations: a question without a product")
	}
	question := d.answer("question")
	answered, err := d.answerFromKB(question, items[0].Category)
	if answered || err != nil {
		return err
	}
	d.openCase(OpenCase{Kind: string(config.KindInquiry), Description: question,
		Classification: "product question", Details: map[string]string{"product": items[0].Name}})
	d.say(d.t("done.product_question", Args{"Case": CasePlaceholder, "Reply": d.promise("first_response", d.env.Promises.FirstResponse)}),
		backButtons(d.lang()))
	return nil
}

// careStop turns the care reminders off for this customer (ARC-3).
func (d *dialog) careStop() error {
	d.reset()
	d.effects = append(d.effects, CareStop{})
	d.say(d.t("care.stopped"), menuButtons(d.lang()))
	return nil
}

// CareReminder is a care reminder of one product, with "stop these
// reminders" (ARC-3); advice is the rule's text in lang.
func CareReminder(lang Lang, productName, orderNo, advice string) Reply {
	return Reply{Text: T(lang, "care.reminder", Args{"Product": productName, "Order": orderNo, "Advice": advice}),
		Buttons: [][]Button{{{Label: T(lang, "btn.care_stop"), Data: choiceCareStop}}, backButtons(lang)[0]}}
}

// CardIssued tells the customer their warranty cards are issued, with the
// link to each (ARC-2).
func CardIssued(lang Lang, orderNo string, cards []CardNotice) string {
	lines := []string{T(lang, "card.issued", Args{"Order": orderNo})}
	for _, c := range cards {
		lines = append(lines, T(lang, "card.line", Args{"Product": c.Product, "Number": c.Number, "Link": c.Link}))
	}
	return strings.Join(lines, "\n")
}

// CardNotice is one card in the notice of issued cards.
type CardNotice struct {
	Product string
	Number  string
	Link    string
}

// CareDue returns the day the latest care reminder of a product was due,
// counted every everyMonths months from start (the day it was received,
// else bought), and false when none is due yet by today (all YYYY-MM-DD).
// Only the latest is returned: a customer never gets a backlog (ARC-3).
func CareDue(start string, everyMonths int, today string) (string, bool) {
	s, err := time.Parse("2006-01-02", start)
	t, err2 := time.Parse("2006-01-02", today)
	if err != nil || err2 != nil || everyMonths <= 0 {
		return "", false
	}
	due := ""
	for k := 1; ; k++ {
		d := s.AddDate(0, k*everyMonths, 0)
		if d.After(t) {
			break
		}
		due = d.Format("2006-01-02")
	}
	return due, due != ""
}
