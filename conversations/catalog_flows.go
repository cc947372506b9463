package conversations

// flowCatalog holds the texts of the guided flows; init merges it into the
// catalog, so the catalog test covers it too.
var flowCatalog = map[msg]map[Lang]string{
	"btn.damage":       {ZhHans: "报告损坏", ZhHant: "回報損壞", En: "Report damage"},
	"btn.return":       {ZhHans: "退换货", ZhHant: "退換貨", En: "Return / exchange"},
	"btn.repair":       {ZhHans: "报修", ZhHant: "報修", En: "Repair"},
	"btn.install":      {ZhHans: "预约安装", ZhHant: "預約安裝", En: "Book installation"},
	"btn.complaint":    {ZhHans: "投诉", ZhHant: "投訴", En: "Complaint"},
	"btn.human":        {ZhHans: "人工客服", ZhHant: "真人客服", En: "Talk to a person"},
	"btn.done":         {ZhHans: "完成", ZhHant: "完成", En: "Done"},
	"btn.skip":         {ZhHans: "跳过", ZhHant: "略過", En: "Skip"},
	"btn.no_packaging": {ZhHans: "包装已经扔掉了", ZhHant: "包裝已經丟掉了", En: "I threw the packaging away"},
	"opt.yes":          {ZhHans: "是", ZhHant: "是", En: "Yes"},
	"opt.no":           {ZhHans: "否", ZhHant: "否", En: "No"},
	"opt.no_order":     {ZhHans: "与订单无关", ZhHant: "與訂單無關", En: "Not about an order"},

	"reask.buttons":  {ZhHans: "请用下面的按钮回答。", ZhHant: "請用下面的按鈕回答。", En: "Please answer with the buttons below."},
	"reask.text":     {ZhHans: "请直接输入文字回答。", ZhHant: "請直接輸入文字回答。", En: "Please type your answer."},
	"reask.photo":    {ZhHans: "这一步需要照片：请发送照片，或按下面的按钮。", ZhHant: "這一步需要照片：請傳送照片，或按下面的按鈕。", En: "This step needs photos: send a photo, or press a button below."},
	"reask.pick_one": {ZhHans: "请至少选择一件商品。", ZhHant: "請至少選擇一件商品。", En: "Please choose at least one item."},

	"q.order":       {ZhHans: "请选择订单：", ZhHant: "請選擇訂單：", En: "Which order is it about?"},
	"q.item":        {ZhHans: "请选择商品：", ZhHant: "請選擇商品：", En: "Which item?"},
	"q.items_multi": {ZhHans: "哪些商品有问题？可以多选，选好后按“完成”。", ZhHant: "哪些商品有問題？可以多選，選好後按「完成」。", En: "Which items are affected? Choose one or more, then press Done."},
	"q.found_at":    {ZhHans: "您是什么时候发现损坏的？", ZhHant: "您是什麼時候發現損壞的？", En: "When did you find the damage?"},
	"found.pickup":  {ZhHans: "提货时（外包装有破损）", ZhHant: "提貨時（外包裝有破損）", En: "At pickup (packaging damaged)"},
	"found.home":    {ZhHans: "拆包后在家中发现", ZhHant: "拆包後在家中發現", En: "After unpacking at home"},
	"q.photo_packaging": {
		ZhHans: "请拍外包装的每一面，能清楚看出包装有没有破损（从远到近、从整体到细节）。可以发多张，拍完按“完成”。",
		ZhHant: "請拍外包裝的每一面，能清楚看出包裝有沒有破損（從遠到近、從整體到細節）。可以傳多張，拍完按「完成」。",
		En:     "Please photograph every side of the outer packaging so we can see whether it is damaged (from far to near, whole to detail). Send as many as you like, then press Done.",
	},
	"q.photo_whole": {
		ZhHans: "请拍损坏商品的整体照片（可以发多张），拍完按“完成”。",
		ZhHant: "請拍損壞商品的整體照片（可以傳多張），拍完按「完成」。",
		En:     "Now photograph the damaged item as a whole (one or more photos), then press Done.",
	},
	"q.photo_closeup": {
		ZhHans: "最后请拍损坏部位的清晰近距离特写，拍完按“完成”。",
		ZhHant: "最後請拍損壞部位的清晰近距離特寫，拍完按「完成」。",
		En:     "Last, a clear close-up of the damage, then press Done.",
	},
	"group.packaging": {ZhHans: "外包装", ZhHant: "外包裝", En: "the packaging"},
	"group.whole":     {ZhHans: "商品整体", ZhHant: "商品整體", En: "the whole item"},
	"group.closeup":   {ZhHans: "损坏特写", ZhHant: "損壞特寫", En: "the close-up of the damage"},
	"photo.got": {
		ZhHans: "已收到 %d 张照片（%s）。可以继续发，或按“完成”。",
		ZhHant: "已收到 %d 張照片（%s）。可以繼續傳，或按「完成」。",
		En:     "Got %d photo(s) of %s. Send more, or press Done.",
	},
	"photo.missing": {
		ZhHans: "还缺少照片：%s。请至少发一张。",
		ZhHant: "還缺少照片：%s。請至少傳一張。",
		En:     "Still missing: a photo of %s. Please send at least one.",
	},
	"q.same_place": {
		ZhHans: "外包装破损的位置，和商品损坏的位置对得上吗？",
		ZhHant: "外包裝破損的位置，和商品損壞的位置對得上嗎？",
		En:     "Is the packaging damaged at the same place as the item?",
	},
	"same.yes":    {ZhHans: "对得上", ZhHant: "對得上", En: "Yes, the same place"},
	"same.no":     {ZhHans: "对不上（那里的包装完好）", ZhHant: "對不上（那裡的包裝完好）", En: "No, the packaging is intact there"},
	"same.unsure": {ZhHans: "看不出来", ZhHant: "看不出來", En: "I can't tell"},
	"q.batch_no": {
		ZhHans: "请输入壁纸的批号（印在包装或标签上，例如 B2611）：",
		ZhHant: "請輸入壁紙的批號（印在包裝或標籤上，例如 B2611）：",
		En:     "Please type the wallpaper batch number (on the roll's label, e.g. B2611):",
	},
	"bad.batch": {
		ZhHans: "批号格式不对：应为 2–32 位字母、数字或“-”。",
		ZhHant: "批號格式不對：應為 2–32 位字母、數字或「-」。",
		En:     "That batch number is not valid: 2 to 32 letters, digits or '-'.",
	},
	"q.on_wall": {ZhHans: "壁纸已经贴上墙了吗？", ZhHant: "壁紙已經貼上牆了嗎？", En: "Is the wallpaper already on the wall?"},
	"q.description": {
		ZhHans: "请简单描述一下问题（例如：沙发左侧扶手有约 5 厘米划痕）：",
		ZhHant: "請簡單描述一下問題（例如：沙發左側扶手有約 5 公分刮痕）：",
		En:     "Please describe the problem briefly (e.g. a 5 cm scratch on the left armrest):",
	},
	"bad.description": {
		ZhHans: "请用 2 到 1000 个字描述。",
		ZhHant: "請用 2 到 1000 個字描述。",
		En:     "Please use 2 to 1000 characters.",
	},
	"done.transport_damage": {
		ZhHans: "已为您登记服务单 %s（运输损坏）。请保留外包装和照片，我们需要您协助向物流公司索赔。客服将在 %d 小时内联系您，并在 %d 个工作日内确认处理方案。",
		ZhHant: "已為您登記服務單 %s（運輸損壞）。請保留外包裝和照片，我們需要您協助向物流公司索賠。客服將在 %d 小時內聯絡您，並在 %d 個工作天內確認處理方案。",
		En:     "Case %s is open (transport damage). Please keep the packaging and photos: we will need your help with the claim against the carrier. We will contact you within %d hour(s) and confirm the solution within %d working days.",
	},
	"done.quality_defect": {
		ZhHans: "已为您登记服务单 %s（质量问题）。客服将在 %d 小时内联系您，并在 %d 个工作日内确认处理方案。",
		ZhHant: "已為您登記服務單 %s（品質問題）。客服將在 %d 小時內聯絡您，並在 %d 個工作天內確認處理方案。",
		En:     "Case %s is open (quality defect). We will contact you within %d hour(s) and confirm the solution within %d working days.",
	},
	"done.compensation": {
		ZhHans: "您提到的赔偿要求已记录，工作人员审核后会答复您。",
		ZhHant: "您提到的賠償要求已記錄，工作人員審核後會答覆您。",
		En:     "Your request for compensation is noted; staff will review it and answer you.",
	},

	"q.return_reason":     {ZhHans: "退换货的原因是？", ZhHant: "退換貨的原因是？", En: "Why would you like to return or exchange it?"},
	"reason.changed_mind": {ZhHans: "不想要了 / 不合适", ZhHant: "不想要了 / 不合適", En: "Changed my mind / doesn't fit"},
	"reason.wrong_item":   {ZhHans: "发错货 / 规格不符", ZhHant: "發錯貨 / 規格不符", En: "Wrong item or size"},
	"reason.defect":       {ZhHans: "质量问题", ZhHant: "品質問題", En: "A quality problem"},
	"q.customer_caused": {
		ZhHans: "问题是否由您自己使用、搬运或安装造成？",
		ZhHant: "問題是否由您自己使用、搬運或安裝造成？",
		En:     "Was the problem caused by your own use, moving or installing?",
	},
	"q.defect_affects_use": {ZhHans: "这个问题影响正常使用吗？", ZhHant: "這個問題影響正常使用嗎？", En: "Does the problem stop you using it normally?"},
	"q.unused":             {ZhHans: "商品是否还没有使用过？", ZhHant: "商品是否還沒有使用過？", En: "Is the item unused?"},
	"q.original_packaging": {ZhHans: "原包装还在并且完好吗？", ZhHant: "原包裝還在並且完好嗎？", En: "Do you still have the original packaging, undamaged?"},
	"q.proof":              {ZhHans: "您有购物凭证（订单、发票或收据）吗？", ZhHant: "您有購物憑證（訂單、發票或收據）嗎？", En: "Do you have proof of purchase (order, invoice or receipt)?"},
	"q.quantity":           {ZhHans: "要退换几件？请输入 1 到 %d：", ZhHant: "要退換幾件？請輸入 1 到 %d：", En: "How many? Type a number from 1 to %d:"},
	"bad.quantity":         {ZhHans: "请输入有效的件数。", ZhHant: "請輸入有效的件數。", En: "Please type a valid quantity."},
	"q.contact":            {ZhHans: "可以打尾号 %s 的手机联系您吗？", ZhHant: "可以打尾號 %s 的手機聯絡您嗎？", En: "May we call you on the phone ending %s?"},
	"contact.yes":          {ZhHans: "可以", ZhHant: "可以", En: "Yes"},
	"contact.other":        {ZhHans: "用另一个号码", ZhHant: "用另一個號碼", En: "Use another number"},
	"q.contact_phone":      {ZhHans: "请输入联系电话：", ZhHant: "請輸入聯絡電話：", En: "Please type the phone number to call:"},
	"bad.phone":            {ZhHans: "请输入 7 到 15 位数字的电话号码。", ZhHant: "請輸入 7 到 15 位數字的電話號碼。", En: "Please type a phone number of 7 to 15 digits."},
	"return.not_eligible": {
		ZhHans: "很抱歉，这件商品不能退换货：\n%s\n如果是质量问题，可以选择报修；也可以联系人工客服。",
		ZhHant: "很抱歉，這件商品不能退換貨：\n%s\n如果是品質問題，可以選擇報修；也可以聯絡真人客服。",
		En:     "Sorry, this item cannot be returned or exchanged:\n%s\nFor a quality problem you can ask for a repair, or talk to a person.",
	},
	"ret.too_late":        {ZhHans: "已超过购买之日起 7 天", ZhHant: "已超過購買之日起 7 天", En: "more than 7 days have passed since the purchase"},
	"ret.custom":          {ZhHans: "定制商品不退换", ZhHant: "訂製商品不退換", En: "custom-made goods cannot be returned"},
	"ret.used":            {ZhHans: "商品已使用", ZhHant: "商品已使用", En: "the item has been used"},
	"ret.no_packaging":    {ZhHans: "原包装不完整", ZhHant: "原包裝不完整", En: "the original packaging is missing or damaged"},
	"ret.no_proof":        {ZhHans: "没有购物凭证", ZhHant: "沒有購物憑證", En: "there is no proof of purchase"},
	"ret.customer_caused": {ZhHans: "因客户原因造成的损坏", ZhHant: "因客戶原因造成的損壞", En: "the damage was caused by the customer"},
	"ret.minor_defect":    {ZhHans: "质量问题不影响正常使用", ZhHant: "品質問題不影響正常使用", En: "the defect does not affect normal use"},
	"ret.unknown":         {ZhHans: "无法核对订单", ZhHant: "無法核對訂單", En: "the order could not be checked"},
	"done.return": {
		ZhHans: "已提交退换货申请 %s，我们将在 %d 个工作日内审核。请注意：退换货的邮费以及换货差价（如有）由您承担。",
		ZhHant: "已提交退換貨申請 %s，我們將在 %d 個工作天內審核。請注意：退換貨的郵費以及換貨差價（如有）由您負擔。",
		En:     "Return request %s is in; we will review it within %d working day(s). Please note: you pay the return postage and any price difference of an exchange.",
	},

	"q.exclusion": {
		ZhHans: "以下情况有没有发生过？（保修期内遇到这些情况需要收费）",
		ZhHant: "以下情況有沒有發生過？（保固期內遇到這些情況需要收費）",
		En:     "Did any of these happen? (They make a repair paid even within the warranty.)",
	},
	"excl.none":         {ZhHans: "都没有", ZhHant: "都沒有", En: "None of these"},
	"excl.misuse":       {ZhHans: "没有按说明书使用", ZhHant: "沒有按說明書使用", En: "Used against the manual"},
	"excl.self_move":    {ZhHans: "自己搬运或安装时损坏", ZhHant: "自己搬運或安裝時損壞", En: "Damaged while I moved or installed it"},
	"excl.unauthorised": {ZhHans: "其他人修理过", ZhHant: "其他人修理過", En: "Someone else repaired it"},
	"excl.power":        {ZhHans: "电压不稳", ZhHant: "電壓不穩", En: "Unstable power"},
	"excl.disaster":     {ZhHans: "自然灾害", ZhHant: "自然災害", En: "A natural disaster"},
	"q.help": {
		ZhHans: "很多问题可以通过电话指导解决。您希望：",
		ZhHant: "很多問題可以透過電話指導解決。您希望：",
		En:     "Many problems can be solved with guidance by phone. Would you like:",
	},
	"help.phone":      {ZhHans: "先电话指导", ZhHant: "先電話指導", En: "Phone guidance first"},
	"help.visit":      {ZhHans: "直接上门维修", ZhHant: "直接到府維修", En: "A visit"},
	"help.next_phone": {ZhHans: "师傅会先打电话指导您。", ZhHant: "師傅會先打電話指導您。", En: "A technician will call you first to guide you."},
	"help.next_visit": {ZhHans: "我们会安排师傅上门。", ZhHant: "我們會安排師傅到府。", En: "We will send a technician."},
	"warranty.free": {
		ZhHans: "商品在保修期内，本次维修免费。",
		ZhHant: "商品在保固期內，本次維修免費。",
		En:     "The item is in warranty: this repair is free.",
	},
	"warranty.paid_excluded": {
		ZhHans: "商品虽在保修期内，但属于保修除外情况，维修按价目表收费。",
		ZhHant: "商品雖在保固期內，但屬於保固除外情況，維修按價目表收費。",
		En:     "The item is in warranty, but what happened is excluded from it: the repair is charged by the price list.",
	},
	"warranty.paid_expired": {
		ZhHans: "商品已过保修期，维修按价目表收费。",
		ZhHant: "商品已過保固期，維修按價目表收費。",
		En:     "The warranty has ended: the repair is charged by the price list.",
	},
	"warranty.unknown": {
		ZhHans: "保修期需要工作人员核实。",
		ZhHant: "保固期需要工作人員核實。",
		En:     "Staff will check the warranty.",
	},
	"done.repair": {
		ZhHans: "已登记报修单 %s。%s%s我们将在 %d 小时内派单，一般 %d 小时内处理完毕（最长不超过 %d 小时）。",
		ZhHant: "已登記報修單 %s。%s%s我們將在 %d 小時內派單，一般 %d 小時內處理完畢（最長不超過 %d 小時）。",
		En:     "Repair %s is open. %s %s We dispatch it within %d hour(s) and usually resolve it within %d hours (%d at most).",
	},

	"q.preferred_time": {
		ZhHans: "您希望哪天安装？请输入日期和时段，例如“12月5日上午”：",
		ZhHant: "您希望哪天安裝？請輸入日期和時段，例如「12月5日上午」：",
		En:     "When would you like the installation? Type a day and time, e.g. \"5 December, morning\":",
	},
	"bad.preferred_time": {
		ZhHans: "请用 2 到 100 个字写日期和时段。",
		ZhHant: "請用 2 到 100 個字寫日期和時段。",
		En:     "Please give the day and time in 2 to 100 characters.",
	},
	"done.install": {
		ZhHans: "已登记安装预约 %s。我们会安排三星及以上的本地师傅；师傅上门前会先打电话给您，以本店名义上门服务，并自带鞋套。客服将在 %d 小时内和您确认时间。",
		ZhHant: "已登記安裝預約 %s。我們會安排三星以上的在地師傅；師傅到府前會先打電話給您，以本店名義到府服務，並自備鞋套。客服將在 %d 小時內和您確認時間。",
		En:     "Installation %s is booked. We send a local installer rated three stars or more, who calls you before coming, comes as our shop's service and brings shoe covers. We will confirm the time within %d hour(s).",
	},

	"q.severity":  {ZhHans: "这个问题严重吗？", ZhHant: "這個問題嚴重嗎？", En: "How serious is it?"},
	"sev.regular": {ZhHans: "一般问题", ZhHant: "一般問題", En: "A regular complaint"},
	"sev.major":   {ZhHans: "严重（涉及安全、较大损失或反复发生）", ZhHant: "嚴重（涉及安全、較大損失或反覆發生）", En: "Serious (safety, a large loss, or it keeps happening)"},
	"q.complaint": {ZhHans: "请告诉我们发生了什么：", ZhHant: "請告訴我們發生了什麼：", En: "Please tell us what happened:"},
	"done.complaint": {
		ZhHans: "已登记投诉 %s，非常抱歉给您带来不便。我们将在 %d 小时内联系您，%d 小时内给出解决方案，%d 小时内回访。",
		ZhHant: "已登記投訴 %s，非常抱歉造成您的不便。我們將在 %d 小時內聯絡您，%d 小時內提出解決方案，%d 小時內回訪。",
		En:     "Complaint %s is recorded; we are sorry for the trouble. We will contact you within %d hour(s), propose a solution within %d hours and follow up within %d hours.",
	},
	"done.complaint_major": {
		ZhHans: "已登记投诉 %s，非常抱歉。我们将在 %d 小时内给您书面解决方案，并由经理亲自致电您。",
		ZhHant: "已登記投訴 %s，非常抱歉。我們將在 %d 小時內給您書面解決方案，並由經理親自致電您。",
		En:     "Complaint %s is recorded; we are very sorry. You will have a written solution within %d hours, and a manager will call you.",
	},

	"handoff.started": {
		ZhHans: "已为您转接人工客服（服务单 %s）。接下来您发的消息都会转给工作人员，我们将在 %d 小时内回复。发送 /cancel 可结束转接。",
		ZhHant: "已為您轉接真人客服（服務單 %s）。接下來您傳的訊息都會轉給工作人員，我們將在 %d 小時內回覆。傳送 /cancel 可結束轉接。",
		En:     "A colleague will take over (case %s). Everything you write now goes to them; expect an answer within %d hour(s). Send /cancel to stop.",
	},
	"handoff.ended": {
		ZhHans: "已结束转接，您的服务单仍由工作人员跟进。",
		ZhHant: "已結束轉接，您的服務單仍由工作人員跟進。",
		En:     "You are back with the bot; staff still follow up your case.",
	},

	"notice.shipped": {
		ZhHans: "您的订单 %s 已发货：\n承运物流：%s\n运单号：%s\n物流电话：%s\n件数：%d 包，%d 件\n体积：%.2f 立方米\n运费：%s 元，包装费：%s 元\n预计到达：%s",
		ZhHant: "您的訂單 %s 已出貨：\n承運物流：%s\n運單號：%s\n物流電話：%s\n件數：%d 包，%d 件\n體積：%.2f 立方米\n運費：%s 元，包裝費：%s 元\n預計到達：%s",
		En:     "Your order %s has shipped:\nCarrier: %s\nTracking number: %s\nCarrier phone: %s\nPackages: %d, pieces: %d\nVolume: %.2f m³\nFreight: ¥%s, packaging: ¥%s\nExpected arrival: %s",
	},
	"notice.rules": {
		ZhHans: "提货须知：\n1. 先验货，再签收。外包装有破损时，请在签收单上写明“外包装破损”并描述看到的损坏，从远到近、从整体到细节拍照。\n2. 无论损坏情况如何，都请不要拒签：我们会上门修补或补发配件，也需要您配合我们向物流索赔。\n3. 个别物流会要求先签字、付运费再看货，请不要这样做，一定先验货。",
		ZhHant: "提貨須知：\n1. 先驗貨，再簽收。外包裝有破損時，請在簽收單上寫明「外包裝破損」並描述看到的損壞，從遠到近、從整體到細節拍照。\n2. 無論損壞情況如何，都請不要拒簽：我們會到府修補或補寄配件，也需要您配合我們向物流索賠。\n3. 個別物流會要求先簽字、付運費再看貨，請不要這樣做，一定先驗貨。",
		En:     "Pickup rules:\n1. Inspect before you sign. If the outer packaging is damaged, write \"outer packaging damaged\" on the receipt, describe what you see, and take photos from far to near, whole to detail.\n2. Whatever the damage, please do not refuse delivery: we will repair or send parts, and we need your help with the carrier's claim.\n3. Some carriers ask you to sign and pay before you inspect: don't; inspect first.",
	},
	"notice.glass": {
		ZhHans: "4. 包装上注明“内有玻璃”的件：签收前请轻轻晃动，听一听玻璃有没有碎；外包装完好也可能已经损坏。",
		ZhHant: "4. 包裝上註明「內有玻璃」的件：簽收前請輕輕搖晃，聽一聽玻璃有沒有碎；外包裝完好也可能已經損壞。",
		En:     "4. Packages marked \"contains glass\": shake them gently and listen for broken glass before you sign; intact packaging does not prove intact glass.",
	},
	"arrival.intro": {
		ZhHans: "您好！您的订单 %s（%s，运单号 %s）预计今天到达。",
		ZhHant: "您好！您的訂單 %s（%s，運單號 %s）預計今天到達。",
		En:     "Hello! Your order %s (%s, tracking %s) is due today.",
	},
	"q.arrival":       {ZhHans: "货物收到了吗？", ZhHant: "貨物收到了嗎？", En: "Has it arrived?"},
	"arrival.fine":    {ZhHans: "已收到，完好", ZhHant: "已收到，完好", En: "Arrived, all fine"},
	"arrival.damaged": {ZhHans: "已收到，有损坏", ZhHant: "已收到，有損壞", En: "Arrived damaged"},
	"arrival.not_yet": {ZhHans: "还没收到", ZhHant: "還沒收到", En: "Not yet"},
	"arrival.thanks":  {ZhHans: "太好了，感谢您的确认！", ZhHant: "太好了，感謝您的確認！", En: "Great, thank you for letting us know!"},
	"arrival.install_next": {
		ZhHans: "您的订单包含安装服务，现在就预约安装吗？",
		ZhHant: "您的訂單包含安裝服務，現在就預約安裝嗎？",
		En:     "Your order includes installation. Shall we book it now?",
	},
	"arrival.wait": {
		ZhHans: "还在路上，请再耐心等一等。物流信息：",
		ZhHant: "還在路上，請再耐心等一等。物流資訊：",
		En:     "It is still on its way. Tracking details:",
	},
	"arrival.delay": {
		ZhHans: "很抱歉，已经超过承诺的交货日期（%s）。已为您登记延迟交货服务单 %s 并通知专人跟进，我们将在 %d 小时内联系您。",
		ZhHant: "很抱歉，已經超過承諾的交貨日期（%s）。已為您登記延遲交貨服務單 %s 並通知專人跟進，我們將在 %d 小時內聯絡您。",
		En:     "We are sorry: the promised delivery date (%s) has passed. Delay case %s is open and a colleague is on it; we will contact you within %d hour(s).",
	},
	"arrival.delay_description": {
		ZhHans: "客户反馈未收到货，承诺交货日期 %s 已过。",
		ZhHant: "客戶回報未收到貨，承諾交貨日期 %s 已過。",
		En:     "Customer reports no delivery; the promised date %s has passed.",
	},

	"notice.delay": {
		ZhHans: "很抱歉，您的订单 %s 无法在承诺的交货日期（%s）前送达。我们已登记服务单 %s，专人会尽快联系您说明新的时间。",
		ZhHant: "很抱歉，您的訂單 %s 無法在承諾的交貨日期（%s）前送達。我們已登記服務單 %s，專人會盡快聯絡您說明新的時間。",
		En:     "We are sorry: your order %s will not arrive by the promised date (%s). Case %s is open and a colleague will contact you soon with the new date.",
	},
	"survey.reminder": {
		ZhHans: "打扰一下，想再请您花一分钟完成回访：",
		ZhHant: "打擾一下，想再請您花一分鐘完成回訪：",
		En:     "A gentle reminder: could you spare a minute for our questions?",
	},
	"svc.install": {ZhHans: "安装", ZhHant: "安裝", En: "installation"},
	"svc.repair":  {ZhHans: "维修", ZhHant: "維修", En: "repair"},
	"survey.intro": {
		ZhHans: "您好！订单 %s 的%s服务已经完成，想耽误您一分钟做个回访。",
		ZhHant: "您好！訂單 %s 的%s服務已經完成，想耽誤您一分鐘做個回訪。",
		En:     "Hello! The work on order %s (%s) is done. May we ask you a few quick questions?",
	},
	"q.on_time": {
		ZhHans: "请问师傅有提前和您约好时间并按时上门吗？",
		ZhHant: "請問師傅有提前和您約好時間並準時到府嗎？",
		En:     "Did the technician agree the time with you in advance and arrive on time?",
	},
	"q.satisfaction":   {ZhHans: "您对这次%s服务满意吗？", ZhHant: "您對這次%s服務滿意嗎？", En: "How satisfied are you with this %s?"},
	"sat.unsatisfied":  {ZhHans: "不满意", ZhHant: "不滿意", En: "Unsatisfied"},
	"sat.basic":        {ZhHans: "基本满意", ZhHant: "基本滿意", En: "Basically satisfied"},
	"sat.fair":         {ZhHans: "比较满意", ZhHant: "比較滿意", En: "Fairly satisfied"},
	"q.what_wrong":     {ZhHans: "是哪些方面没做好？请简单说说：", ZhHant: "是哪些方面沒做好？請簡單說說：", En: "What went wrong? Please tell us briefly:"},
	"q.score_attitude": {ZhHans: "（可选）服务态度打几分？", ZhHant: "（可選）服務態度打幾分？", En: "(Optional) How would you rate their attitude?"},
	"q.score_professionalism": {
		ZhHans: "（可选）专业水平打几分？", ZhHant: "（可選）專業水準打幾分？", En: "(Optional) And their professionalism?",
	},
	"q.score_timeliness": {ZhHans: "（可选）及时性打几分？", ZhHant: "（可選）及時性打幾分？", En: "(Optional) And their timeliness?"},
	"survey.thanks":      {ZhHans: "感谢您的反馈！", ZhHant: "感謝您的回饋！", En: "Thank you for your feedback!"},
	"survey.low": {
		ZhHans: "很抱歉这次服务没能让您满意，主管将在 %d 小时内联系您跟进。",
		ZhHant: "很抱歉這次服務沒能讓您滿意，主管將在 %d 小時內聯絡您跟進。",
		En:     "We are sorry it was not good enough; a supervisor will contact you within %d hour(s).",
	},
}

func init() {
	for k, v := range flowCatalog {
		if _, dup := catalog[k]; dup {
			panic("conversations: catalog key defined twice: " + string(k))
		}
		catalog[k] = v
	}
}
