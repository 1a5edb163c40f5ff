package auth

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// commonGz is the 30,000 most common passwords of real breaches, lower
// case, one a line (data/README.md says where they come from).
//
//go:embed data/common-passwords.txt.gz
var commonGz []byte

var (
	commonOnce sync.Once
	commonSet  map[string]struct{}
)

func commonPasswords() map[string]struct{} {
	commonOnce.Do(func() {
		commonSet = make(map[string]struct{}, 30000)
		zr, err := gzip.NewReader(bytes.NewReader(commonGz))
		if err != nil {
			panic("auth: embedded password list: " + err.Error())
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			if w := sc.Text(); w != "" {
				commonSet[w] = struct{}{}
			}
		}
		if err := sc.Err(); err != nil {
			panic("auth: embedded password list: " + err.Error())
		}
	})
	return commonSet
}

// IsCommonPassword reports whether a password is, or is little more than,
// one of the common passwords: the word itself, reversed, or with digits
// and symbols added at its ends ("Password2024!", "!!dragon1234"), or a
// single character or short pattern repeated ("abcabcabcabc"). HUD's
// standard forbids dictionary words forward or reversed; these lists are
// what attackers try first.
func IsCommonPassword(password string) bool {
	set := commonPasswords()
	p := strings.ToLower(password)
	candidates := []string{p, reverse(p)}
	core := strings.TrimFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	if core != "" {
		candidates = append(candidates, core, reverse(core))
	}
	// "correcthorse" typed with spaces is the same word list entry.
	candidates = append(candidates, strings.ReplaceAll(core, " ", ""))
	for _, c := range candidates {
		if _, ok := set[c]; ok && c != "" {
			return true
		}
	}
	// A common password with anything but letters after or before it:
	// "1234567890123", "qwerty!!2025".
	for i := 4; i < len(p); i++ {
		if _, ok := set[p[:i]]; ok && !strings.ContainsFunc(p[i:], unicode.IsLetter) {
			return true
		}
		if _, ok := set[p[len(p)-i:]]; ok && !strings.ContainsFunc(p[:len(p)-i], unicode.IsLetter) {
			return true
		}
	}
	return isRepetition(p)
}

// isRepetition reports whether s is a unit of up to 4 characters repeated.
func isRepetition(s string) bool {
	r := []rune(s)
	for n := 1; n <= 4 && n < len(r); n++ {
		if len(r)%n != 0 {
			continue
		}
		rep := true
		for i := n; i < len(r); i++ {
			if r[i] != r[i-n] {
				rep = false
				break
			}
		}
		if rep {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// errCommonPassword is the policy's answer to a common password.
var errCommonPassword = &hmis.Error{Code: hmis.EINVALID, Message: "The password is too common.",
	Fields: map[string]string{"password": "This password is on the list of common passwords that attackers try first. Choose another: a few unrelated words make a strong one."}}

// CheckPasswordFor is CheckPasswordPolicy plus the rule that a password
// must not contain the username (HUD's security standard).
func CheckPasswordFor(password, username string) error {
	if err := CheckPasswordPolicy(password); err != nil {
		return err
	}
	u := strings.ToLower(strings.TrimSpace(username))
	if len(u) >= 3 && strings.Contains(strings.ToLower(password), u) {
		return &hmis.Error{Code: hmis.EINVALID, Message: "The password contains the username.",
			Fields: map[string]string{"password": "Do not use your username in your password."}}
	}
	return nil
}
