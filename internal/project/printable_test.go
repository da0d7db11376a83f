package project

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	for p, want := range map[string]string{
		"vars/a.jsonnet":             "vars/a.jsonnet",
		"vars/é ü 日本.jsonnet":        "vars/é ü 日本.jsonnet",
		"":                           `""`,
		"vars/bad\xff.jsonnet":       `"vars/bad\xff.jsonnet"`,
		"vars/\x1b[31mred.jsonnet":   `"vars/\x1b[31mred.jsonnet"`,
		"vars/new\nline.jsonnet":     `"vars/new\nline.jsonnet"`,
		"vars/rtl\u202egpj.jsonnet":  `"vars/rtl\u202egpj.jsonnet"`,
		"vars/\u0085nel.jsonnet":     `"vars/\u0085nel.jsonnet"`,
		"vars/nb\u00a0sp.jsonnet":    `"vars/nb\u00a0sp.jsonnet"`,
		`"quoted".jsonnet`:           `"\"quoted\".jsonnet"`,
		`vars/"inner".jsonnet`:       `vars/"inner".jsonnet`,
		`vars/back\slash.jsonnet`:    `vars/back\slash.jsonnet`,
		"vars/tab\there.jsonnet":     `"vars/tab\there.jsonnet"`,
		"vars/del\x7f.jsonnet":       `"vars/del\x7f.jsonnet"`,
		"vars/surrogate\xed\xa0\x80": `"vars/surrogate\xed\xa0\x80"`,
	} {
		if got := Printable(p); got != want {
			t.Errorf("Printable(%q) = %s, want %s", p, got, want)
		}
	}
}

// FuzzPrintable: whatever a path holds, what kpgen prints of it is valid
// UTF-8 of printable characters only (no control sequence reaches a
// terminal), and names the path unambiguously: a quoted form unquotes to
// the path, and an unquoted form is the path itself, never starting with
// a quote.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"vars/a.jsonnet", "", "\xff", "\x1b[2J", "\"", "a\u202eb", "日本\u0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got := Printable(p)
		if !utf8.ValidString(got) {
			t.Fatalf("Printable(%q) = %q: not UTF-8", p, got)
		}
		for _, r := range got {
			if !unicode.IsPrint(r) {
				t.Fatalf("Printable(%q) = %q: holds %U", p, got, r)
			}
		}
		if got == p {
			if strings.HasPrefix(p, `"`) {
				t.Fatalf("Printable(%q) left a leading quote", p)
			}
			return
		}
		back, err := strconv.Unquote(got)
		if err != nil || back != p {
			t.Fatalf("Printable(%q) = %s, which unquotes to %q, %v", p, got, back, err)
		}
	})
}
