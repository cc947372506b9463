//go:build !race

package backoffice

// raceBuild is set under the race detector (see race_test.go).
const raceBuild = false
