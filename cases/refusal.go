package cases

// Refuse is Errorf with the refusal's key in the staff's message catalog
// and the values it shows: the case page and Slack say it in the viewer's
// language from there (conversations.Refusal), the API keeps the English
// message and the code. args are name, value pairs.
func Refuse(code Code, key string, args []any, format string, a ...any) *Error {
	e := Errorf(code, format, a...)
	e.Key = key
	if len(args) > 0 {
		e.Args = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			name, _ := args[i].(string)
			e.Args[name] = args[i+1]
		}
	}
	return e
}

// textName names the text a refusal asks for by its catalog label
// (staff.refuse.what.*): the lifecycle's English words for it map to one of
// a few names, anything else is "text".
func textName(what string) string {
	switch what {
	case "a note":
		return "note"
	case "a reply":
		return "reply"
	case "the reason":
		return "reason"
	case "the return address":
		return "return_address"
	case "a call-back":
		return "callback"
	case "a plan":
		return "plan"
	}
	return "text"
}
