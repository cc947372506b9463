package password

import (
	"strings"
	"testing"
	"time"
)

func TestHashAndVerify(t *testing.T) {
	for _, pw := range []string{"correct horse battery", "售后服务台的密码很长很长", strings.Repeat("长", 40)} {
		h, err := Hash(pw)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Fatalf("hash %q", h)
		}
		if !Verify(h, pw) {
			t.Fatalf("%q does not verify against its own hash", pw)
		}
		// A password past bcrypt's 72 bytes still counts every byte.
		if Verify(h, pw+"x") || Verify(h, pw[:len(pw)-1]) || Verify(h, "") {
			t.Fatalf("%q: a different password verified", pw)
		}
		again, _ := Hash(pw)
		if again == h {
			t.Fatal("two hashes of one password share a salt")
		}
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=0,t=1,p=1$AA$AA",
		"$argon2id$v=19$m=99999999,t=1,p=1$AA$AA"} {
		if Verify(bad, "") || Verify(bad, "anything") {
			t.Fatalf("a malformed hash %q matched", bad)
		}
	}
}

func TestCheck(t *testing.T) {
	for pw, ok := range map[string]bool{"short": false, "123456789": false, "1234567890": true, "十个汉字的密码一二三": true,
		"九个汉字的密码一二": false, strings.Repeat("a", MaxBytes+1): false, "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6": false} {
		if err := Check(pw); (err == nil) != ok {
			t.Errorf("Check(%.20q) = %v", pw, err)
		}
	}
	if err := Check("abc"); err == nil || !strings.Contains(err.Error(), "at least 10") {
		t.Fatalf("the message does not say the rule: %v", err)
	}
}

func TestGenerate(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw := Generate()
		if Check(pw) != nil || len(pw) != 16 || strings.ContainsAny(pw, "0O1lI") || seen[pw] {
			t.Fatalf("generated %q", pw)
		}
		seen[pw] = true
	}
}

// TestVerifyCost keeps a check of a guess expensive: at least a few
// milliseconds, so that even without the login throttle a guesser gets at
// most a few hundred tries a second per core.
func TestVerifyCost(t *testing.T) {
	h, _ := Hash("correct horse battery")
	start := time.Now()
	for range 3 {
		Verify(h, "wrong guess here")
	}
	per := time.Since(start) / 3
	t.Logf("one verify: %v", per)
	if per < 5*time.Millisecond {
		t.Fatalf("a verify takes only %v", per)
	}
}
