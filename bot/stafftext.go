package bot

import (
	"time"

	"frontdesk/cases"
	"frontdesk/conversations"
)

// The bot's posts to the case threads and the managers' channel in the
// staff channels' language (STF-2): an effect that names its catalog key is
// said from the catalog, kinds and clocks by their names; one without keeps
// its text.

// staffLang is the staff channels' language: zh-Hans unless configured.
func (d *Desk) staffLang() conversations.Lang {
	if d.StaffLang == "" {
		return conversations.ZhHans
	}
	return d.StaffLang
}

// staffText is a post's text: from the catalog when key is set.
func (d *Desk) staffText(text, key string, args map[string]any) string {
	if key == "" {
		return text
	}
	return StaffWords(d.staffLang(), key, args)
}

// durationIn says a duration in days, hours and minutes in lang.
func durationIn(lang conversations.Lang, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	mins := int((d + 30*time.Second) / time.Minute)
	days, hours, m := mins/(24*60), mins/60%24, mins%60
	args := conversations.Args{"Days": days, "Hours": hours, "Minutes": m}
	switch {
	case days > 0 && hours > 0:
		return conversations.T(lang, "staff.post.dur_dh", args)
	case days > 0:
		return conversations.T(lang, "staff.post.dur_d", args)
	case hours > 0:
		return conversations.T(lang, "staff.post.dur_hm", args)
	}
	return conversations.T(lang, "staff.post.dur_m", args)
}

// paymentName is the catalog's name of how a visit is paid: the customer
// pays a first-time provider and is refunded, else the shop transfers.
func paymentName(p string) string {
	if p == cases.PayCustomerRefund {
		return "customer_refund"
	}
	return "transfer"
}
