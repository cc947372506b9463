//go:build race

package backoffice

// raceBuild is set under the race detector, which makes the (pure Go)
// SQLite some ten times slower: the big-file tests take a tenth of their
// rows, and the timing bounds do not apply.
const raceBuild = true
