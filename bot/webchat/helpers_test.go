package webchat

// atDamagePhotos verifies session s (in English) and walks the damage
// report of SO-1001's first item, delivered home, up to its first photo
// question: where the tests of uploads start.
func (h *harness) atDamagePhotos(s string) {
	h.t.Helper()
	h.verify(s)
	for _, c := range []string{"menu:damage", "ans:SO-1001", "ans:1", "ans:done", "ans:home"} {
		h.say(s, map[string]string{"choice": c})
	}
}
