package testkit

// CountWhere counts the elements of xs that keep says yes to.
func CountWhere[T any](xs []T, keep func(T) bool) int {
	n := 0
	for _, x := range xs {
		if keep(x) {
			n++
		}
	}
	return n
}
