package render

import (
	"testing"
	"unicode/utf8"

	jsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// FuzzJsonnetString: for any string Jsonnet can hold (valid UTF-8), the
// literal kpgen writes into its snippets parses as that very string. With
// strconv.Quote, a path holding a control character (\x1b, \v) or a rune
// Go prints as \U did not parse, and kpgen said "internal error".
func FuzzJsonnetString(f *testing.F) {
	for _, s := range []string{"/tmp/p/vars/a.jsonnet", "", `"`, `\`, "\x1b[31m", "\v\a\b\f\n\r\t", "\x7f\u0085\u00a0", "\u202e", "\U0001F600", "\U000E0001", "'", "|||", "\u2028\u2029"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip("Jsonnet strings are Unicode: kpgen refuses such paths before quoting")
		}
		lit := jsonnetString(s)
		n, err := jsonnet.SnippetToAST("<fuzz>", lit)
		if err != nil {
			t.Fatalf("jsonnetString(%q) = %s does not parse: %v", s, lit, err)
		}
		ls, ok := n.(*ast.LiteralString)
		if !ok || ls.Value != s {
			t.Fatalf("jsonnetString(%q) = %s parses as %#v", s, lit, n)
		}
	})
}
