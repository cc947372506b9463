//go:build !chaos

package chaos

// taggedLong is set by the chaos build tag: go test -tags chaos runs the
// long form.
const taggedLong = false
