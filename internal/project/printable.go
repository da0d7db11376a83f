package project

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Printable is a path as kpgen prints it: unchanged when it is valid UTF-8
// made of printable characters, else quoted as Go quotes strings (invalid
// bytes as \xff, control characters as \x1b or \u202e), so that a file name
// never sends raw bytes or control sequences to a terminal. A path that
// starts with a double quote is quoted too, so that a quoted name is never
// mistaken for a plain one: strconv.Unquote gives back every quoted path.
func Printable(p string) string {
	if p != "" && p[0] != '"' && utf8.ValidString(p) {
		ok := true
		for _, r := range p {
			if !unicode.IsPrint(r) {
				ok = false
				break
			}
		}
		if ok {
			return p
		}
	}
	return strconv.Quote(p)
}
