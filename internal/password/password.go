// Package password hashes and checks the staff's passwords and makes new
// ones. A hash is argon2id with a salt of its own, written in the PHC
// string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash) so that its
// parameters travel with it and can be raised later without breaking the
// hashes already stored.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// MinLength is the fewest characters (not bytes) a password may have.
const MinLength = 10

// MaxBytes bounds what is hashed, so that a huge form field cannot make a
// login expensive.
const MaxBytes = 1024

// The argon2id parameters: the first of OWASP's recommended settings
// (19 MiB, two passes, one lane), about 30–60 ms on one core.
const (
	memoryKiB = 19 * 1024
	passes    = 2
	lanes     = 1
	saltBytes = 16
	keyBytes  = 32
)

// Check says what is wrong with a new password, or nil.
func Check(pw string) error {
	if n := utf8.RuneCountInString(pw); n < MinLength {
		return fmt.Errorf("the password has %d characters; it needs at least %d", n, MinLength)
	}
	if len(pw) > MaxBytes {
		return fmt.Errorf("the password is longer than %d bytes", MaxBytes)
	}
	if !utf8.ValidString(pw) {
		return errors.New("the password is not valid UTF-8 text")
	}
	return nil
}

// Hash returns the PHC string of pw with a fresh random salt.
func Hash(pw string) (string, error) {
	salt := make([]byte, saltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, passes, memoryKiB, lanes, keyBytes)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, passes, lanes,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw is the password of the PHC string encoded. A
// malformed hash matches nothing.
func Verify(encoded, pw string) bool {
	if len(pw) > MaxBytes {
		return false
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 16 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummy is a hash of nothing anyone can type, verified against when a login
// names no account, so that an unknown login takes as long as a known one.
// It is made at first use, not when the program starts.
var dummy = sync.OnceValue(func() string {
	h, err := Hash(Generate())
	if err != nil {
		panic(err)
	}
	return h
})

// VerifyNothing spends the time of one Verify and matches nothing.
func VerifyNothing(pw string) bool {
	Verify(dummy(), pw)
	return false
}

// alphabet leaves out letters that read alike (0/O, 1/l/I), since a
// generated password is read off a screen and typed.
const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// Generate makes a password of 16 characters from alphabet (about 93 bits).
func Generate() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = alphabet[randIndex(len(alphabet))]
	}
	return string(b)
}

// randIndex is a uniform random number in [0, n), n ≤ 256.
func randIndex(n int) int {
	limit := 256 - 256%n
	var one [1]byte
	for {
		if _, err := rand.Read(one[:]); err != nil {
			panic(err) // crypto/rand does not fail on supported systems
		}
		if int(one[0]) < limit {
			return int(one[0]) % n
		}
	}
}
