package conversations

import "testing"

// The catalog's cache of texts without values gives what go-i18n gives,
// for every key and language, the first time and every time after.
func TestCatalogCacheRendersAsGoI18n(t *testing.T) {
	for _, lang := range append(Langs, Lang("xx-hostile")) {
		for key := range messages.files[ZhHans] {
			want := messages.render(lang, key, nil, nil)
			for range 2 {
				if got := T(lang, key); got != want {
					t.Fatalf("T(%s, %s) = %q, want %q", lang, key, got, want)
				}
			}
		}
	}
	// A key the catalog lacks comes back as itself and is not kept.
	if got := T(En, "no.such.key"); got != "no.such.key" {
		t.Fatalf("unknown key: %q", got)
	}
	if _, kept := messages.plain.Load(plainKey{En, "no.such.key"}); kept {
		t.Fatal("an unknown key was kept in the cache")
	}
}
