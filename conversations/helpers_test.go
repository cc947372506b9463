package conversations

// lastEffect is the last effect of type T among effects, nil when there is
// none.
func lastEffect[T Effect](effects []Effect) *T {
	var last *T
	for _, e := range effects {
		if t, ok := e.(T); ok {
			last = &t
		}
	}
	return last
}
