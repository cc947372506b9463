package conversations

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sync"
	"text/template"
	"text/template/parse"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The message catalog holds every text the desk says, one file per language
// (locales/active.<lang>.toml), read through go-i18n. A text names the
// values it shows ({{.Order}}) and a text that shows a count has a form per
// plural category, so a translator edits a file and never Go. The catalog
// test checks that every language has every key and the same placeholders.

//go:embed locales/active.*.toml
var localeFiles embed.FS

// Args names the values a text shows: Args{"Order": "SO-1001"} fills
// {{.Order}}.
type Args = map[string]any

// messages is the catalog of the embedded files. A broken file is a build
// mistake that every test shows at once, so loading it panics.
var messages = mustLoadCatalog(localeFiles)

// T returns the text of key in lang, its placeholders filled from args:
// T(En, "verify.ok", Args{"Name": "王芳"}). Most texts take no args. A
// language the catalog lacks gets zh-Hans; a key it lacks comes back as the
// key itself, never a panic (the catalog test keeps keys from missing).
//
// Plain values instead of one Args fill the placeholders in the order the
// zh-Hans text first shows them. That is for callers written when the
// catalog took fmt verbs; new code names its values.
func T(lang Lang, key string, args ...any) string {
	return messages.text(lang, key, nil, messages.args(key, args))
}

// Plural returns the text of key in lang for a count: count picks the
// plural form (English has "one" and "other", Chinese only "other") and
// fills {{.Count}}; args fill the other placeholders and may be nil.
func Plural(lang Lang, key string, count int, args Args) string {
	return messages.plural(lang, key, count, args)
}

// label translates a value from a closed set (an order status, a case
// kind), falling back to the value itself for one the catalog lacks.
func label(lang Lang, prefix, value string) string {
	if _, ok := messages.files[ZhHans][prefix+value]; !ok {
		return value
	}
	return T(lang, prefix+value)
}

// catalog is a loaded set of locale files.
type catalog struct {
	localizers map[Lang]*i18n.Localizer
	// files holds each language's messages by key, as its file has them.
	files map[Lang]map[string]*i18n.Message

	// Rendering through go-i18n resolves the language, parses the text's
	// template and executes it on every call, a few percent of the desk's
	// CPU per message. Most texts take no values, and their rendering never
	// changes: plain keeps it per language and key. names keeps the
	// placeholders of a key's zh-Hans text, which args parsed per call.
	plain sync.Map // plainKey → string
	names sync.Map // key → []string
}

// plainKey names a text rendered without values.
type plainKey struct {
	lang Lang
	key  string
}

func mustLoadCatalog(fsys fs.FS) *catalog {
	c, err := loadCatalog(fsys)
	if err != nil {
		panic(err)
	}
	return c
}

// loadCatalog reads locales/active.<lang>.toml of every language in Langs.
// Missing texts fall back to zh-Hans, as the desk's first language.
func loadCatalog(fsys fs.FS) (*catalog, error) {
	b := i18n.NewBundle(language.Make(string(ZhHans)))
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalog{localizers: map[Lang]*i18n.Localizer{}, files: map[Lang]map[string]*i18n.Message{}}
	for _, l := range Langs {
		path := "locales/active." + string(l) + ".toml"
		f, err := b.LoadMessageFileFS(fsys, path)
		if err != nil {
			return nil, fmt.Errorf("conversations: catalog %s: %w", path, err)
		}
		c.files[l] = make(map[string]*i18n.Message, len(f.Messages))
		for _, m := range f.Messages {
			c.files[l][m.ID] = m
		}
		c.localizers[l] = i18n.NewLocalizer(b, string(l))
	}
	return c, nil
}

// text renders key in lang; count is nil for a text without plural forms.
func (c *catalog) text(lang Lang, key string, count any, args Args) string {
	if _, known := c.files[ZhHans][key]; count != nil || args != nil || !known {
		return c.render(lang, key, count, args) // the cache holds the catalog's keys only
	}
	if _, ok := c.localizers[lang]; !ok {
		lang = ZhHans // as render does; and the cache holds known languages only
	}
	k := plainKey{lang, key}
	if s, ok := c.plain.Load(k); ok {
		return s.(string)
	}
	s := c.render(lang, key, nil, nil)
	c.plain.Store(k, s)
	return s
}

// render is text through go-i18n, uncached.
func (c *catalog) render(lang Lang, key string, count any, args Args) string {
	loc, ok := c.localizers[lang]
	if !ok {
		loc = c.localizers[ZhHans]
	}
	var data any
	if args != nil {
		data = args
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data, PluralCount: count})
	if s == "" && err != nil {
		return key
	}
	return s
}

func (c *catalog) plural(lang Lang, key string, count int, args Args) string {
	data := make(Args, len(args)+1)
	maps.Copy(data, args)
	data["Count"] = count
	return c.text(lang, key, count, data)
}

// args turns T's arguments into Args: one Args as it is, plain values by
// the placeholders of the zh-Hans text in order.
func (c *catalog) args(key string, args []any) Args {
	if len(args) == 0 {
		return nil
	}
	if a, ok := args[0].(Args); ok && len(args) == 1 {
		return a
	}
	names := c.placeholdersOf(key)
	out := make(Args, len(args))
	for i, v := range args {
		if i < len(names) {
			out[names[i]] = v
		}
	}
	return out
}

// placeholdersOf is placeholders of key's zh-Hans text, parsed once.
func (c *catalog) placeholdersOf(key string) []string {
	m, ok := c.files[ZhHans][key]
	if !ok {
		return nil
	}
	if names, ok := c.names.Load(key); ok {
		return names.([]string)
	}
	names := placeholders(m.Other)
	c.names.Store(key, names)
	return names
}

// placeholders lists the names a text fills ({{.Order}} → "Order"), each
// once, in the order they first appear; nil for a text that does not parse.
func placeholders(src string) []string {
	t, err := template.New("").Parse(src)
	if err != nil || t.Tree == nil {
		return nil
	}
	var names []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, x := range n.Nodes {
					walk(x)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.PipeNode:
			if n != nil {
				for _, cmd := range n.Cmds {
					for _, a := range cmd.Args {
						walk(a)
					}
				}
			}
		case *parse.FieldNode:
			if !slices.Contains(names, n.Ident[0]) {
				names = append(names, n.Ident[0])
			}
		}
	}
	walk(t.Tree.Root)
	return names
}
