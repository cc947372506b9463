package staffweb

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"frontdesk/conversations"
)

// TestKnowledgeFromAResolvedCase: a resolved case's page offers to write
// its answer into the knowledge base; an entry lacking a language is
// refused with the field named and nothing saved; a complete one is kept,
// names its case, and the chat answers from it.
// rule: ARC-4
func TestKnowledgeFromAResolvedCase(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	c := h.openCase()
	h.login("li", clerkPW)
	if _, body := h.get("/staff/case/" + c.Number); strings.Contains(body, `id="knowledge"`) {
		t.Fatal("an open case offers the knowledge form")
	}
	h.act(c.Number, "action", "cause", "value", "坐垫缝线断开")
	h.act(c.Number, "action", "action", "value", "上门重新缝合")
	h.act(c.Number, "action", "resolve")
	_, body := h.get("/staff/case/" + c.Number)
	if !strings.Contains(body, `id="knowledge"`) || !strings.Contains(body, "加入知识库") || !strings.Contains(body, "上门重新缝合") {
		t.Fatalf("the resolved case offers no knowledge form")
	}
	form := url.Values{"id": {"cushion_seam"}, "category": {"furniture"}, "keywords": {"开线，缝线, seam"},
		"q_zh-Hans": {"沙发坐垫开线怎么办？"}, "q_zh-Hant": {"沙發坐墊開線怎麼辦？"}, "q_en": {"The sofa cushion seam opened"},
		"a_zh-Hans": {"请拍照报修，保修期内免费上门缝合。"}, "a_zh-Hant": {"請拍照報修，保固期內免費到府縫合。"}}
	status, body := h.post("/staff/case/"+c.Number+"/knowledge", form)
	if status != 400 || !strings.Contains(body, "未加入知识库") || !strings.Contains(body, "answer.en") {
		t.Fatalf("no English answer: %d", status)
	}
	if added, _ := h.db.KBEntries(ctx); len(added) != 0 {
		t.Fatalf("a refused entry was saved: %+v", added)
	}
	form.Set("a_en", "Send a photo with a repair request: within the warranty we sew it up at your home for free.")
	if status, _ := h.post("/staff/case/"+c.Number+"/knowledge", form); status != 200 { // after the redirect
		t.Fatalf("add: %d", status)
	}
	added, _ := h.db.KBEntries(ctx)
	if len(added) != 1 || added[0].FromCase != c.Number || added[0].AddedBy != "小李" || len(added[0].Keywords) != 3 {
		t.Fatalf("added %+v", added)
	}
	if err := h.desk.Handle(ctx, conversations.Inbound{Channel: "web", ChatID: "w7", Text: "沙发开线了怎么处理"}); err != nil {
		t.Fatal(err)
	}
	msgs, _ := h.db.OutboxAfter(ctx, "web", "w7", 0, 10)
	if len(msgs) == 0 || !strings.Contains(string(msgs[len(msgs)-1].Payload), "保修期内免费上门缝合") {
		t.Fatalf("the chat does not answer from it: %d messages", len(msgs))
	}
}
