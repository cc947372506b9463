package config_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"frontdesk/config"
	"frontdesk/conversations"
)

// clockHelpers are the functions whose first argument is a clock's name.
var clockHelpers = map[string]bool{"wall": true, "days": true, "dayClock": true, "timedClock": true}

// clockTypes are the types whose Name field is a clock's name.
var clockTypes = map[string]bool{"StartClock": true, "RestartClock": true, "ClockSpec": true}

// clocksInSource lists the clock names the code of dir starts: the Name of
// a StartClock, RestartClock or ClockSpec literal (a string or a constant
// of the package) and the first argument of the clock helpers.
func clocksInSource(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	consts := map[string]string{}
	var parsed []*ast.File
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		ast.Inspect(f, func(n ast.Node) bool {
			if v, ok := n.(*ast.ValueSpec); ok {
				for i, id := range v.Names {
					if i < len(v.Values) {
						if s, ok := stringLit(v.Values[i]); ok {
							consts[id.Name] = s
						}
					}
				}
			}
			return true
		})
	}
	value := func(e ast.Expr) (string, bool) {
		if s, ok := stringLit(e); ok {
			return s, true
		}
		if id, ok := e.(*ast.Ident); ok {
			s, ok := consts[id.Name]
			return s, ok
		}
		return "", false
	}
	var names []string
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if !clockTypes[typeName(n.Type)] && !clockSlice(n.Type) {
					return true
				}
				lits := []*ast.CompositeLit{n}
				if clockSlice(n.Type) {
					lits = nil
					for _, el := range n.Elts {
						if l, ok := el.(*ast.CompositeLit); ok {
							lits = append(lits, l)
						}
					}
				}
				for _, l := range lits {
					for _, el := range l.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && typeName(kv.Key) == "Name" {
							if s, ok := value(kv.Value); ok {
								names = append(names, s)
							}
						}
					}
				}
			case *ast.CallExpr:
				if clockHelpers[typeName(n.Fun)] && len(n.Args) > 0 {
					if s, ok := value(n.Args[0]); ok {
						names = append(names, s)
					}
				}
			}
			return true
		})
	}
	return names
}

func stringLit(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

// typeName is the last name of an identifier or a selector.
func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

func clockSlice(e ast.Expr) bool {
	a, ok := e.(*ast.ArrayType)
	return ok && clockTypes[typeName(a.Elt)]
}

// rule: STF-2
// Every clock the code starts is one config.AllClockNames knows, and every
// one of those has a name in each language of the catalog: an escalation,
// the digest and the workbench name clocks, never show their codes. A new
// clock without a name fails here.
func TestEveryClockHasANameInEveryLanguage(t *testing.T) {
	known := config.AllClockNames()
	var found []string
	for _, dir := range []string{".", "../cases", "../bot"} {
		found = append(found, clocksInSource(t, dir)...)
	}
	if len(found) < 10 {
		t.Fatalf("the source scan found only %v: has the code moved?", found)
	}
	for _, name := range found {
		if !slices.Contains(known, name) {
			t.Errorf("the code starts clock %q, which config.AllClockNames lacks (add it to ClockNames or LaterClockNames)", name)
		}
	}
	for _, name := range known {
		for _, lang := range []conversations.Lang{conversations.ZhHans, conversations.ZhHant, conversations.En} {
			text := conversations.Label(lang, "staff.clock.", name)
			if text == name || text == "" || strings.Contains(text, "_") {
				t.Errorf("clock %q has no name in %s (staff.clock.%s): %q", name, lang, name, text)
			}
		}
		if zh, en := conversations.T(conversations.ZhHans, "staff.clock."+name), conversations.T(conversations.En, "staff.clock."+name); zh == en {
			t.Errorf("clock %q: the zh-Hans name is the English one (%q)", name, zh)
		}
	}
}
