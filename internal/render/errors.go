package render

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	jsonnet "github.com/google/go-jsonnet"

	"github.com/kpgen/kpgen/internal/project"
)

// EvalError is a Jsonnet evaluation error: go-jsonnet's message and stack
// trace, paths relative to the project root, printable.
//
// Error shows the message, then the frames in the user's own files (vars
// files and whatever else is not kpgen's library, jsonnet/lib and
// jsonnet/mixins, nor jsonnet/vendor), innermost first: where the user can
// do something about it. The library's frames follow only with Trace
// (`--trace`). When no frame is in the user's files and the message does not
// start with a position in one (a syntax error in a vars file does), the
// innermost frame is shown, so that there is always a position.
type EvalError struct {
	Msg   string   // "RUNTIME ERROR: …" (or go-jsonnet's text for other errors)
	User  []string // the frames in the user's files, innermost first ("\t<file:line:col>\t<what>")
	Stack []string // every frame, innermost first (kpgen's own and the standard library's left out)
	Lib   int      // how many of Stack are in kpgen's library or jsonnet/vendor
	Trace bool     // Error shows Stack too
}

// maxFrames is how many frames a list shows: the innermost and the
// outermost halves, as go-jsonnet's own error formatter does.
const maxFrames = 20

func (e *EvalError) Error() string {
	var b strings.Builder
	b.WriteString("jsonnet evaluation failed:\n")
	b.WriteString(strings.TrimRight(e.Msg, "\n"))
	shown := e.User
	if len(shown) == 0 && !e.positioned() && len(e.Stack) > 0 {
		shown = e.Stack[:1]
	}
	writeFrames(&b, shown)
	lib := e.Lib
	if len(e.User) == 0 && len(shown) == 1 && lib > 0 {
		lib-- // the innermost frame, shown
	}
	switch {
	case len(shown) == len(e.Stack):
	case e.Trace:
		b.WriteString("\nStack trace, innermost first:")
		writeFrames(&b, e.Stack)
	case lib > 0:
		fmt.Fprintf(&b, "\n\t(and %d frame(s) in jsonnet/lib and jsonnet/vendor: --trace shows them)", lib)
	default:
		b.WriteString("\n\t(--trace shows the whole stack)")
	}
	return b.String()
}

func writeFrames(b *strings.Builder, frames []string) {
	for i, f := range frames {
		if len(frames) > maxFrames && i >= maxFrames/2 && i < len(frames)-maxFrames/2 {
			if i == maxFrames/2 {
				fmt.Fprintf(b, "\n\t... (%d frames)", len(frames)-maxFrames)
			}
			continue
		}
		b.WriteString("\n")
		b.WriteString(f)
	}
}

// positioned reports whether the message starts with a position in a file
// that is not kpgen's library ("RUNTIME ERROR: vars/x.jsonnet:3:1 Expected
// …", go-jsonnet's account of a syntax error in an imported file).
func (e *EvalError) positioned() bool {
	m := positionAtStart.FindStringSubmatch(e.Msg)
	return m != nil && !strings.HasPrefix(m[1], "jsonnet/") && !strings.HasPrefix(m[1], "<")
}

var positionAtStart = regexp.MustCompile(`^RUNTIME ERROR: ([^\s:]+):\(?\d+:\d+`)

// evalError turns a go-jsonnet error into an EvalError.
func (r *Renderer) evalError(err error) *EvalError {
	var re jsonnet.RuntimeError
	if !errors.As(err, &re) {
		// Not an evaluation error (go-jsonnet's "(CRASH)" of a panic).
		return &EvalError{Msg: r.relText(r.vm.ErrorFormatter.Format(err))}
	}
	e := &EvalError{Msg: r.relText(re.Error())}
	lib := r.root.JsonnetDir() + string(os.PathSeparator)
	for i := len(re.StackTrace) - 1; i >= 0; i-- { // innermost first
		f := re.StackTrace[i]
		loc := f.Loc.String()
		file := ""
		if f.Loc.IsSet() {
			file = f.Loc.FileName
			if f.Loc.File != nil && f.Loc.File.DiagnosticFileName != "" {
				file = string(f.Loc.File.DiagnosticFileName)
			}
			// kpgen's glue and the standard library say nothing about the
			// user's files.
			if file == "<std>" || file == "<kpgen>" {
				continue
			}
			if file != "" && strings.HasPrefix(loc, file) {
				loc = project.Printable(r.relPath(file)) + loc[len(file):]
			}
		}
		line := "\t" + printableText(loc) + "\t" + printableText(f.Name)
		e.Stack = append(e.Stack, line)
		switch {
		case strings.HasPrefix(file, lib):
			e.Lib++
		case file != "" && !strings.HasPrefix(file, "<"):
			e.User = append(e.User, line)
		}
	}
	return e
}

// relPath is p relative to the project root when it is below it.
func (r *Renderer) relPath(p string) string {
	return strings.TrimPrefix(p, r.root.Dir+string(os.PathSeparator))
}

// relText makes the paths in a go-jsonnet message relative to the project
// root, and its text printable.
func (r *Renderer) relText(msg string) string {
	return printableText(strings.ReplaceAll(msg, r.root.Dir+string(os.PathSeparator), ""))
}

// printableText escapes what must not reach a terminal raw: invalid UTF-8
// (\xff) and control and formatting characters (\x1b, \u202e), tabs and
// line breaks aside.
func printableText(s string) string {
	clean := true
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") || unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unsafeRune(r):
			q := strconv.QuoteRune(r) // '\x1b', '\u202e'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0xfeff:
		return true // zero-width and bidirectional formatting
	}
	return false
}
