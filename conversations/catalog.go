package conversations

import "fmt"

// msg names a catalog entry. Every entry has a text in every language of
// Langs; a test checks that, and that the placeholders agree.
type msg string

// catalog holds every text the bot says. Placeholders are fmt verbs, in the
// same order in every language.
var catalog = map[msg]map[Lang]string{
	"menu": {
		ZhHans: "您好，这里是售后服务台。请选择您需要的服务：",
		ZhHant: "您好，這裡是售後服務台。請選擇您需要的服務：",
		En:     "Hello, this is the after-sales desk. What can we do for you?",
	},
	"btn.where":    {ZhHans: "我的订单到哪了", ZhHant: "我的訂單到哪了", En: "Where is my order"},
	"btn.status":   {ZhHans: "我的服务单", ZhHant: "我的服務單", En: "My open cases"},
	"btn.language": {ZhHans: "语言 / Language", ZhHant: "語言 / Language", En: "Language / 语言"},
	"btn.help":     {ZhHans: "帮助", ZhHant: "幫助", En: "Help"},
	"btn.menu":     {ZhHans: "返回菜单", ZhHant: "返回選單", En: "Main menu"},
	"btn.cancel":   {ZhHans: "取消", ZhHant: "取消", En: "Cancel"},
	"help": {
		ZhHans: "您可以随时发送：\n/start 菜单\n/status 我的服务单\n/cancel 取消当前操作\n/language 切换语言\n/help 帮助",
		ZhHant: "您可以隨時發送：\n/start 選單\n/status 我的服務單\n/cancel 取消目前操作\n/language 切換語言\n/help 幫助",
		En:     "You can send these at any time:\n/start menu\n/status my open cases\n/cancel leave what you are doing\n/language change language\n/help this help",
	},
	"cancelled": {
		ZhHans: "已取消，未保存任何内容。",
		ZhHant: "已取消，未儲存任何內容。",
		En:     "Cancelled. Nothing was saved.",
	},
	"language.choose": {
		ZhHans: "请选择语言：",
		ZhHant: "請選擇語言：",
		En:     "Please choose a language:",
	},
	"language.set": {
		ZhHans: "好的，以后用简体中文为您服务。",
		ZhHant: "好的，之後用繁體中文為您服務。",
		En:     "Done, I will answer in English from now on.",
	},
	"unknown.command": {
		ZhHans: "抱歉，我不认识命令 %s。发送 /help 查看可用命令。",
		ZhHant: "抱歉，我不認識指令 %s。傳送 /help 查看可用指令。",
		En:     "Sorry, I don't know the command %s. Send /help to see what I can do.",
	},
	"unknown.text": {
		ZhHans: "抱歉，我没有理解。请从下面的菜单中选择：",
		ZhHant: "抱歉，我沒有理解。請從下面的選單中選擇：",
		En:     "Sorry, I didn't understand that. Please choose from the menu:",
	},
	"stale.button": {
		ZhHans: "这个按钮已失效，请从菜单重新开始。",
		ZhHant: "這個按鈕已失效，請從選單重新開始。",
		En:     "That button is no longer valid. Please start again from the menu.",
	},
	"bad.empty": {
		ZhHans: "您发送的消息是空的，请输入文字或选择按钮。",
		ZhHant: "您傳送的訊息是空的，請輸入文字或選擇按鈕。",
		En:     "Your message was empty. Please type something or press a button.",
	},
	"bad.too_long": {
		ZhHans: "消息太长了（最多 %d 字节），请简短一些再发。",
		ZhHant: "訊息太長了（最多 %d 位元組），請簡短一些再傳。",
		En:     "That message is too long (at most %d bytes). Please send it shorter.",
	},
	"bad.not_image": {
		ZhHans: "只能接收照片（JPEG、PNG、WebP 或 GIF），这个文件没有保存。",
		ZhHant: "只能接收照片（JPEG、PNG、WebP 或 GIF），這個檔案沒有儲存。",
		En:     "I can only take photos (JPEG, PNG, WebP or GIF); that file was not kept.",
	},
	"bad.too_large": {
		ZhHans: "文件太大了（最多 %d MB），没有保存。请压缩后再发。",
		ZhHant: "檔案太大了（最多 %d MB），沒有儲存。請壓縮後再傳。",
		En:     "That file is too large (at most %d MB) and was not kept. Please send a smaller one.",
	},
	"bad.unsupported": {
		ZhHans: "抱歉，我只能处理文字、按钮和照片。",
		ZhHant: "抱歉，我只能處理文字、按鈕和照片。",
		En:     "Sorry, I can only handle text, buttons and photos.",
	},
	"photo.unexpected": {
		ZhHans: "收到照片，但现在不需要照片。如需报告损坏，请从菜单开始。",
		ZhHant: "收到照片，但現在不需要照片。如需回報損壞，請從選單開始。",
		En:     "Thanks for the photo, but none is needed right now. To report damage, start from the menu.",
	},
	"verify.ask_order": {
		ZhHans: "为保护您的隐私，请先验证身份。请发送您的订单号：",
		ZhHant: "為保護您的隱私，請先驗證身分。請傳送您的訂單號：",
		En:     "To protect your privacy, please verify first. Send me your order number:",
	},
	"verify.bad_order_format": {
		ZhHans: "这看起来不像订单号（字母、数字和“-”，最多 64 位），请再发一次：",
		ZhHant: "這看起來不像訂單號（字母、數字和「-」，最多 64 位），請再傳一次：",
		En:     "That does not look like an order number (letters, digits and '-', up to 64). Please send it again:",
	},
	"verify.ask_phone4": {
		ZhHans: "请发送下单手机号的后四位：",
		ZhHant: "請傳送下單手機號碼的後四碼：",
		En:     "Now send the last four digits of the phone number on the order:",
	},
	"verify.bad_phone4": {
		ZhHans: "请只发送 4 位数字，例如 1234：",
		ZhHant: "請只傳送 4 位數字，例如 1234：",
		En:     "Please send exactly four digits, for example 1234:",
	},
	"verify.mismatch": {
		ZhHans: "订单号和手机号后四位不匹配。您还可以再试 %d 次。请重新发送订单号：",
		ZhHant: "訂單號和手機號碼後四碼不相符。您還可以再試 %d 次。請重新傳送訂單號：",
		En:     "The order number and phone digits do not match. %d tries left. Please send the order number again:",
	},
	"verify.locked": {
		ZhHans: "验证失败次数过多，请 %d 分钟后再试，或联系门店。",
		ZhHant: "驗證失敗次數過多，請 %d 分鐘後再試，或聯絡門市。",
		En:     "Too many failed attempts. Please try again in %d minutes, or call the shop.",
	},
	"verify.contact_not_own": {
		ZhHans: "请分享您本人的联系方式，而不是其他人的。",
		ZhHant: "請分享您本人的聯絡方式，而不是其他人的。",
		En:     "Please share your own contact, not someone else's.",
	},
	"verify.contact_unknown": {
		ZhHans: "没有找到用这个手机号下的订单。您也可以发送订单号：",
		ZhHant: "沒有找到用這個手機號碼下的訂單。您也可以傳送訂單號：",
		En:     "I found no order with that phone number. You can send an order number instead:",
	},
	"verify.ok": {
		ZhHans: "验证成功，%s。",
		ZhHant: "驗證成功，%s。",
		En:     "Thank you, %s, you are verified.",
	},
	"where.none": {
		ZhHans: "您的手机号下没有订单。",
		ZhHant: "您的手機號碼下沒有訂單。",
		En:     "There are no orders under your phone number.",
	},
	"where.choose": {
		ZhHans: "您有多个订单，请选择要查询的订单：",
		ZhHant: "您有多個訂單，請選擇要查詢的訂單：",
		En:     "You have several orders. Which one?",
	},
	"where.not_yours": {
		ZhHans: "在您的订单中没有找到这个订单号，请从按钮中选择：",
		ZhHant: "在您的訂單中沒有找到這個訂單號，請從按鈕中選擇：",
		En:     "That order is not among your orders. Please choose one of the buttons:",
	},
	"where.order": {
		ZhHans: "订单 %s（%s）\n状态：%s\n承诺交货日期：%s",
		ZhHant: "訂單 %s（%s）\n狀態：%s\n承諾交貨日期：%s",
		En:     "Order %s (%s)\nStatus: %s\nPromised delivery: %s",
	},
	"where.shipment": {
		ZhHans: "物流：%s，运单号 %s，电话 %s，预计到达 %s",
		ZhHant: "物流：%s，運單號 %s，電話 %s，預計到達 %s",
		En:     "Shipment: %s, tracking %s, phone %s, expected %s",
	},
	"where.not_shipped": {
		ZhHans: "尚未发货，发货当天会通知您。",
		ZhHant: "尚未出貨，出貨當天會通知您。",
		En:     "Not shipped yet; you will hear from us the day it ships.",
	},
	"deadline.none": {ZhHans: "待定", ZhHant: "待定", En: "to be confirmed"},
	"status.none": {
		ZhHans: "您目前没有未完成的服务单。",
		ZhHant: "您目前沒有未完成的服務單。",
		En:     "You have no open cases.",
	},
	"status.header": {
		ZhHans: "您未完成的服务单：",
		ZhHant: "您未完成的服務單：",
		En:     "Your open cases:",
	},
	"status.line": {
		ZhHans: "%s · %s · %s · %s",
		ZhHant: "%s · %s · %s · %s",
		En:     "%s · %s · %s · %s",
	},
	"order.placed":           {ZhHans: "已下单", ZhHant: "已下單", En: "placed"},
	"order.in_production":    {ZhHans: "生产中", ZhHant: "生產中", En: "in production"},
	"order.shipped":          {ZhHans: "已发货", ZhHant: "已出貨", En: "shipped"},
	"order.delivered":        {ZhHans: "已送达", ZhHant: "已送達", En: "delivered"},
	"order.installed":        {ZhHans: "已安装", ZhHant: "已安裝", En: "installed"},
	"case.open":              {ZhHans: "待处理", ZhHant: "待處理", En: "open"},
	"case.claimed":           {ZhHans: "处理中", ZhHant: "處理中", En: "in progress"},
	"case.resolved":          {ZhHans: "已解决", ZhHant: "已解決", En: "resolved"},
	"kind.delivery_delay":    {ZhHans: "延迟交货", ZhHant: "延遲交貨", En: "delivery delay"},
	"kind.transport_damage":  {ZhHans: "运输损坏", ZhHant: "運輸損壞", En: "transport damage"},
	"kind.quality_defect":    {ZhHans: "质量问题", ZhHant: "品質問題", En: "quality defect"},
	"kind.installation_help": {ZhHans: "安装服务", ZhHant: "安裝服務", En: "installation"},
	"kind.repair":            {ZhHans: "维修", ZhHant: "維修", En: "repair"},
	"kind.return_exchange":   {ZhHans: "退换货", ZhHant: "退換貨", En: "return / exchange"},
	"kind.complaint":         {ZhHans: "投诉", ZhHant: "投訴", En: "complaint"},
	"kind.inquiry":           {ZhHans: "咨询", ZhHant: "諮詢", En: "inquiry"},
	"kind.low_survey_score":  {ZhHans: "回访跟进", ZhHant: "回訪跟進", En: "survey follow-up"},
}

// T returns the catalog text of key in lang, formatted with args. A key
// missing from the catalog is a programming error caught by the catalog
// test; at run time it falls back to the key itself rather than failing.
func T(lang Lang, key msg, args ...any) string {
	texts, ok := catalog[key]
	if !ok {
		return string(key)
	}
	s, ok := texts[lang]
	if !ok {
		s = texts[ZhHans]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// label translates a value from a closed set (an order status, a case
// kind), falling back to the value itself for one the catalog lacks.
func label(lang Lang, prefix, value string) string {
	if _, ok := catalog[msg(prefix+value)]; !ok {
		return value
	}
	return T(lang, msg(prefix+value))
}
