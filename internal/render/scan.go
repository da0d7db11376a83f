package render

import (
	"bytes"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// scanImports lists the paths named by `import` in Jsonnet source, without
// parsing it: it skips comments and string literals, and reads the string
// literal that follows each `import` keyword. It is a cheap over-estimate of
// what a file may import (the Program binds every file it finds, and parses
// only those evaluation reaches); an import it missed would still work, as
// a plain import.
func scanImports(src []byte) []string {
	var out []string
	for i := 0; i < len(src); {
		kind, end := next(src, i)
		if kind == code && isIdentStart(src[i]) {
			for end < len(src) && isIdentChar(src[end]) {
				end++
			}
			if string(src[i:end]) == "import" {
				k := skipSpace(src, end)
				if s, e := readString(src, k); e > k && s != "" {
					out = append(out, s)
					end = e
				}
			}
		}
		i = end
	}
	return out
}

// A piece of Jsonnet source, as next sees it.
type piece int

const (
	code piece = iota // one byte of anything else
	comment
	space
	literal // a string literal
)

// next classifies the source at src[i:] and returns where that piece ends.
func next(src []byte, i int) (piece, int) {
	switch c := src[i]; {
	case c == '#' || c == '/' && i+1 < len(src) && src[i+1] == '/':
		return comment, skipLine(src, i)
	case c == '/' && i+1 < len(src) && src[i+1] == '*':
		return comment, skipBlockComment(src, i)
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		return space, i + 1
	case c == '\'' || c == '"' || c == '@' || c == '|':
		if _, end := readString(src, i); end > i {
			return literal, end
		}
	}
	return code, i + 1
}

// hex4 reads the four hex digits of a \u escape at src[i:].
func hex4(src []byte, i int) (uint64, bool) {
	if i+4 > len(src) {
		return 0, false
	}
	r, err := strconv.ParseUint(string(src[i:i+4]), 16, 32)
	return r, err == nil
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || c >= '0' && c <= '9' }

func skipLine(src []byte, i int) int {
	if n := bytes.IndexByte(src[i:], '\n'); n >= 0 {
		return i + n + 1
	}
	return len(src)
}

func skipBlockComment(src []byte, i int) int {
	if n := bytes.Index(src[i+2:], []byte("*/")); n >= 0 {
		return i + 2 + n + 2
	}
	return len(src)
}

// skipSpace skips white space and comments.
func skipSpace(src []byte, i int) int {
	for i < len(src) {
		switch c := src[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '#' || c == '/' && i+1 < len(src) && src[i+1] == '/':
			i = skipLine(src, i)
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			i = skipBlockComment(src, i)
		default:
			return i
		}
	}
	return i
}

// readString reads the string literal at src[i:] ('…', "…", @'…', @"…" or a
// ||| text block), returning its value (best effort for escapes) and the
// index after it; end == i when there is no string literal there.
func readString(src []byte, i int) (value string, end int) {
	if i >= len(src) {
		return "", i
	}
	switch c := src[i]; {
	case c == '\'' || c == '"':
		var b []byte
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case c:
				return string(b), j + 1
			case '\\':
				if j+1 >= len(src) {
					return string(b), len(src)
				}
				j++
				switch e := src[j]; e {
				case 'n':
					b = append(b, '\n')
				case 't':
					b = append(b, '\t')
				case 'r':
					b = append(b, '\r')
				case 'b':
					b = append(b, '\b')
				case 'f':
					b = append(b, '\f')
				case 'u':
					if r, ok := hex4(src, j+1); ok {
						j += 4
						if utf16.IsSurrogate(rune(r)) && j+2 < len(src) && src[j+1] == '\\' && src[j+2] == 'u' {
							if r2, ok := hex4(src, j+3); ok {
								r = uint64(utf16.DecodeRune(rune(r), rune(r2)))
								j += 6
							}
						}
						b = utf8.AppendRune(b, rune(r))
					}
				default:
					b = append(b, e)
				}
			default:
				b = append(b, src[j])
			}
		}
		return string(b), len(src)
	case c == '@' && i+1 < len(src) && (src[i+1] == '\'' || src[i+1] == '"'):
		q := src[i+1]
		var b []byte
		for j := i + 2; j < len(src); j++ {
			if src[j] == q {
				if j+1 < len(src) && src[j+1] == q {
					b = append(b, q)
					j++
					continue
				}
				return string(b), j + 1
			}
			b = append(b, src[j])
		}
		return string(b), len(src)
	case c == '|' && bytes.HasPrefix(src[i:], []byte("|||")):
		// A text block: its lines follow the opening line, and it ends
		// at the first line that starts (after indentation) with |||.
		j := skipLine(src, i)
		for j < len(src) {
			line := bytes.TrimLeft(src[j:], " \t")
			if bytes.HasPrefix(line, []byte("|||")) {
				return "", len(src) - len(line) + 3
			}
			j = skipLine(src, j)
		}
		return "", len(src)
	}
	return "", i
}

// squeeze returns Jsonnet source without its comments and white space
// (string literals kept as written), to compare programs written
// differently.
func squeeze(src []byte) string {
	var b []byte
	for i := 0; i < len(src); {
		kind, end := next(src, i)
		if kind == code || kind == literal {
			b = append(b, src[i:end]...)
		}
		i = end
	}
	return string(b)
}
