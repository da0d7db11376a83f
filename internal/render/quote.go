package render

import (
	"fmt"
	"strings"
)

// jsonnetString is s as a Jsonnet string literal, for the code kpgen
// generates: "…" with only the escapes Jsonnet and JSON share (strconv.Quote
// writes \x, \a, \v and \U, which Jsonnet does not have). s must be valid
// UTF-8: Jsonnet strings are Unicode, and a path that is not cannot be
// imported (checkPath).
func jsonnetString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r < 0x20 || r >= 0x7f && r < 0xa0:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
