package render

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Jsonnet's `%` on a string is std.format, which go-jsonnet runs as Jsonnet
// code (its standard library's std.jsonnet): it parses the format string one
// character at a time, building strings by concatenation, for every call.
// kube-prometheus formats every PromQL expression and dashboard query this
// way, and that was well over half of its evaluation time.
//
// kpgen evaluates `a % b` (desugared by go-jsonnet into std.mod(a, b)) with
// the Jsonnet helper in formatPrelude, which hands the common case to the
// native functions below: a format string that parses, whose conversions are
// among s d i u o x X e E f F g G %, without `*`, formatting strings,
// numbers, booleans and nulls. This is a line-by-line port of std.format's
// Jsonnet (go-jsonnet v0.22.0, same float64 arithmetic), and
// TestFormatMatchesStd compares both on thousands of cases. Anything else —
// a value of another type, a count or key that does not match, a format
// error — returns null, and the helper calls std.format itself, so results
// and errors are std.format's own.

// fmtCode is one piece of a parsed format string: literal text, or a
// conversion.
type fmtCode struct {
	lit                          string
	isCode                       bool
	mkey                         string
	hasKey                       bool
	alt, zero, left, blank, plus bool
	fw                           float64
	prec                         float64
	hasPrec                      bool
	ctype                        byte // d o x e f g s %
	caps                         bool
}

// fmtPlan is a parsed format string, and whether the native path handles it.
type fmtPlan struct {
	codes []fmtCode
	ok    bool
	count int      // values an array must hold
	named bool     // every conversion has a mapping key
	keys  []string // the distinct mapping keys
}

var (
	fmtPlans     sync.Map // format string → *fmtPlan
	fmtPlanCount atomic.Int64
)

// maxPlans bounds the plans kept: format strings are nearly all literals in
// the code, but a program could build them.
const maxPlans = 1 << 16

func planFormat(str string) *fmtPlan {
	if p, ok := fmtPlans.Load(str); ok {
		return p.(*fmtPlan)
	}
	p := parseFormat(str)
	if fmtPlanCount.Add(1) <= maxPlans {
		fmtPlans.Store(str, p)
	}
	return p
}

// parseFormat follows std.format's parse_codes; a format it would reject
// (or one with `*` or %c) gives a plan that is not ok.
func parseFormat(str string) *fmtPlan {
	s := []rune(str)
	p := &fmtPlan{named: true}
	var cur strings.Builder
	i := 0
	for i < len(s) {
		if s[i] != '%' {
			cur.WriteRune(s[i])
			i++
			continue
		}
		c, next, ok := parseCode(s, i+1)
		if !ok {
			return &fmtPlan{}
		}
		p.codes = append(p.codes, fmtCode{lit: cur.String()}, c)
		cur.Reset()
		i = next
	}
	p.codes = append(p.codes, fmtCode{lit: cur.String()})
	seen := map[string]bool{}
	for _, c := range p.codes {
		if !c.isCode || c.ctype == '%' {
			continue
		}
		p.count++
		if !c.hasKey {
			p.named = false
		} else if !seen[c.mkey] {
			seen[c.mkey] = true
			p.keys = append(p.keys, c.mkey)
		}
	}
	p.ok = true
	return p
}

// parseCode parses the conversion after a '%' at s[i:].
func parseCode(s []rune, i int) (fmtCode, int, bool) {
	var c fmtCode
	c.isCode = true
	if i >= len(s) {
		return c, 0, false
	}
	if s[i] == '(' {
		j := i + 1
		for j < len(s) && s[j] != ')' {
			j++
		}
		if j >= len(s) {
			return c, 0, false
		}
		c.mkey, c.hasKey = string(s[i+1:j]), true
		i = j + 1
	}
	for ; ; i++ {
		if i >= len(s) {
			return c, 0, false
		}
		switch s[i] {
		case '#':
			c.alt = true
			continue
		case '0':
			c.zero = true
			continue
		case '-':
			c.left = true
			continue
		case ' ':
			c.blank = true
			continue
		case '+':
			c.plus = true
			continue
		}
		break
	}
	width := func(i int) (float64, int, bool) {
		if i < len(s) && s[i] == '*' {
			return 0, 0, false // `*` takes a value: std.format does it
		}
		v := 0.0
		for ; ; i++ {
			if i >= len(s) {
				return 0, 0, false
			}
			if s[i] < '0' || s[i] > '9' {
				return v, i, true
			}
			v = v*10 + float64(s[i]-'0')
		}
	}
	var ok bool
	if c.fw, i, ok = width(i); !ok {
		return c, 0, false
	}
	if i >= len(s) {
		return c, 0, false
	}
	if s[i] == '.' {
		if c.prec, i, ok = width(i + 1); !ok {
			return c, 0, false
		}
		c.hasPrec = true
	}
	if i >= len(s) {
		return c, 0, false
	}
	if s[i] == 'h' || s[i] == 'l' || s[i] == 'L' {
		i++
	}
	if i >= len(s) {
		return c, 0, false
	}
	switch r := s[i]; r {
	case 'd', 'i', 'u':
		c.ctype = 'd'
	case 'o', 'x', 'e', 'f', 'g', 's', '%':
		c.ctype = byte(r)
	case 'X', 'E', 'F', 'G':
		c.ctype, c.caps = byte(r)+'a'-'A', true
	default: // %c, and conversions std.format rejects
		return c, 0, false
	}
	return c, i + 1, true
}

// formatArray formats vals as std.format(str, vals) does when vals is an
// array; ok is false when the native path does not handle it.
func formatArray(p *fmtPlan, vals []any) (string, bool) {
	if !p.ok || len(vals) != p.count {
		return "", false
	}
	j := 0
	return p.format(func(fmtCode) (any, bool) {
		j++
		return vals[j-1], true
	})
}

// formatObject formats vals as std.format(str, vals) does when vals is an
// object holding (at least) the plan's keys.
func formatObject(p *fmtPlan, vals map[string]any) (string, bool) {
	if !p.ok || !p.named {
		return "", false
	}
	return p.format(func(c fmtCode) (any, bool) {
		v, has := vals[c.mkey]
		return v, has
	})
}

// format renders the plan, taking each conversion's value from value.
func (p *fmtPlan) format(value func(fmtCode) (any, bool)) (string, bool) {
	var b strings.Builder
	for _, c := range p.codes {
		if !c.isCode {
			b.WriteString(c.lit)
			continue
		}
		if c.ctype == '%' {
			pad(&b, "%", c.fw, c.left)
			continue
		}
		v, ok := value(c)
		if !ok {
			return "", false
		}
		s, ok := formatCode(v, c)
		if !ok {
			return "", false
		}
		pad(&b, s, c.fw, c.left)
	}
	return b.String(), true
}

// pad writes s padded with spaces to fw code points (pad_left / pad_right).
func pad(b *strings.Builder, s string, fw float64, left bool) {
	n := fw - float64(utf8.RuneCountInString(s))
	if left {
		b.WriteString(s)
	}
	for ; n > 0; n-- {
		b.WriteByte(' ')
	}
	if !left {
		b.WriteString(s)
	}
}

// maxWidth bounds the field widths and precisions the native path takes:
// std.format pads and renders digits by recursion, and a very wide field
// runs out of stack frames there (an error the native path must not hide).
const maxWidth = 256

// formatCode is format_code for the native conversions. It declines (ok
// false) what std.format would reject or could overflow on: there, every
// arithmetic step is checked, and an infinite intermediate is an error.
func formatCode(val any, c fmtCode) (string, bool) {
	if c.fw > maxWidth || c.prec > maxWidth {
		return "", false
	}
	fpprec, iprec := 6.0, 0.0
	if c.hasPrec {
		fpprec, iprec = c.prec, c.prec
	}
	zp := 0.0
	if c.zero && !c.left {
		zp = c.fw
	}
	if c.ctype == 's' {
		switch v := val.(type) {
		case string:
			return v, true
		case float64:
			return unparseNumber(v), true
		case bool:
			return fmt.Sprint(v), true
		case nil:
			return "null", true
		}
		return "", false
	}
	v, isNum := val.(float64)
	if !isNum {
		return "", false // std.format's error
	}
	if (c.ctype == 'f' || c.ctype == 'g') && math.IsInf(math.Abs(v)*math.Pow(10, fpprec)+0.5, 0) {
		return "", false // std.format: Overflow
	}
	switch c.ctype {
	case 'd':
		return renderInt(v <= -1, math.Floor(math.Abs(v)), zp, iprec, c.blank, c.plus, 10, ""), true
	case 'o':
		prefix := ""
		if c.alt {
			prefix = "0"
		}
		return renderInt(v <= -1, math.Floor(math.Abs(v)), zp, iprec, c.blank, c.plus, 8, prefix), true
	case 'x':
		return renderHex(math.Floor(v), zp, iprec, c.blank, c.plus, c.alt, c.caps), true
	case 'f':
		return renderFloatDec(v, zp, c.blank, c.plus, c.alt, true, fpprec), true
	case 'e':
		return renderFloatSci(v, zp, c.blank, c.plus, c.alt, true, c.caps, fpprec), true
	case 'g':
		exponent := 0.0
		if v != 0 {
			exponent = math.Floor(math.Log(math.Abs(v)) / math.Log(10))
		}
		if exponent < -4 || exponent >= fpprec {
			return renderFloatSci(v, zp, c.blank, c.plus, c.alt, c.alt, c.caps, fpprec-1), true
		}
		digits := math.Max(1, exponent+1)
		return renderFloatDec(v, zp, c.blank, c.plus, c.alt, c.alt, fpprec-digits), true
	}
	return "", false
}

// unparseNumber is how go-jsonnet turns a number into a string.
func unparseNumber(v float64) string {
	if v == math.Floor(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.17g", v)
}

func padLeft(s string, w float64, with string) string {
	var b strings.Builder
	for n := w - float64(utf8.RuneCountInString(s)); n > 0; n-- {
		b.WriteString(with)
	}
	return b.String() + s
}

func sign(neg, blank, plus bool) string {
	switch {
	case neg:
		return "-"
	case plus:
		return "+"
	case blank:
		return " "
	}
	return ""
}

// renderInt is render_int.
func renderInt(neg bool, mag, minChars, minDigits float64, blank, plus bool, radix float64, zeroPrefix string) string {
	dec := "0"
	if mag != 0 {
		var aux func(n float64) string
		aux = func(n float64) string {
			if n == 0 {
				return zeroPrefix
			}
			return aux(math.Floor(n/radix)) + unparseNumber(math.Mod(n, radix))
		}
		dec = aux(mag)
	}
	zp := minChars
	if neg || blank || plus {
		zp--
	}
	return sign(neg, blank, plus) + padLeft(dec, math.Max(zp, minDigits), "0")
}

// renderHex is render_hex.
func renderHex(n, minChars, minDigits float64, blank, plus, zerox, caps bool) string {
	numerals := "0123456789abcdef"
	if caps {
		numerals = "0123456789ABCDEF"
	}
	var aux func(n float64) string
	aux = func(n float64) string {
		if n == 0 {
			return ""
		}
		return aux(math.Floor(n/16)) + string(numerals[int(math.Mod(n, 16))])
	}
	abs := math.Abs(n)
	hex := "0"
	if math.Floor(abs) != 0 {
		hex = aux(math.Floor(abs))
	}
	neg := n < 0
	zp := minChars
	if neg || blank || plus {
		zp--
	}
	prefix := ""
	if zerox {
		zp -= 2
		prefix = "0x"
		if caps {
			prefix = "0X"
		}
	}
	return sign(neg, blank, plus) + prefix + padLeft(hex, math.Max(zp, minDigits), "0")
}

// renderFloatDec is render_float_dec.
func renderFloatDec(n, zeroPad float64, blank, plus, ensurePt, trailing bool, prec float64) string {
	abs := math.Abs(n)
	denominator := math.Pow(10, prec)
	numerator := abs*denominator + 0.5
	whole := jsonnetSign(abs) * math.Floor(numerator/denominator)
	frac := math.Mod(math.Floor(numerator), denominator)
	dot := 1.0
	if prec == 0 && !ensurePt {
		dot = 0
	}
	str := renderInt(n < 0, whole, zeroPad-prec-dot, 0, blank, plus, 10, "")
	if prec == 0 {
		if ensurePt {
			return str + "."
		}
		return str
	}
	if trailing || frac > 0 {
		fracStr := renderInt(false, frac, prec, 0, false, false, 10, "")
		if !trailing {
			fracStr = strings.TrimRight(fracStr, "0")
		}
		return str + "." + fracStr
	}
	return str
}

func jsonnetSign(n float64) float64 {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}

// renderFloatSci is render_float_sci.
func renderFloatSci(n, zeroPad float64, blank, plus, ensurePt, trailing, caps bool, prec float64) string {
	exponent := 0.0
	if n != 0 {
		exponent = math.Floor(math.Log(math.Abs(n)) / math.Log(10))
	}
	suff := "e"
	if caps {
		suff = "E"
	}
	suff += renderInt(exponent < 0, math.Abs(exponent), 3, 0, false, true, 10, "")
	var mantissa float64
	if exponent == -324 {
		mantissa = n * 10 / math.Pow(10, exponent+1)
	} else {
		mantissa = n / math.Pow(10, exponent)
	}
	return renderFloatDec(mantissa, zeroPad-float64(len(suff)), blank, plus, ensurePt, trailing, prec) + suff
}
