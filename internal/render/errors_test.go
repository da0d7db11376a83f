package render

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/testutil"
)

func TestPrintableText(t *testing.T) {
	for in, want := range map[string]string{
		"plain: é 日本 \uFFFD":                    "plain: é 日本 \uFFFD",
		"two\nlines\tand a tab":                 "two\nlines\tand a tab",
		"vars/a\x1b[31m.jsonnet:1:1":            `vars/a\x1b[31m.jsonnet:1:1`,
		"bad \xff byte":                         `bad \xff byte`,
		"rtl \u202e and c1 \u0085 and \x7f del": `rtl \u202e and c1 \u0085 and \x7f del`,
	} {
		if got := printableText(in); got != want {
			t.Errorf("printableText(%q) = %q, want %q", in, got, want)
		}
	}
}

// A deep stack in the user's own files is cropped as go-jsonnet crops it:
// the innermost and outermost frames, and how many are left out.
func TestEvalErrorCropsDeepStacks(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"deep.jsonnet": "local f(n) = if n == 0 then error 'deep' else f(n - 1) + 1;\n{ cluster: { name: 'deep' }, prometheus: { replicas: f(100) } }\n",
	})
	_, err := New(project.Root{Dir: dir}).Head(filepath.Join(dir, "vars", "deep.jsonnet"))
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if n := strings.Count(msg, "\tvars/deep.jsonnet:"); n != maxFrames {
		t.Errorf("%d frames shown, want %d:\n%s", n, maxFrames, msg)
	}
	if !strings.Contains(msg, fmt.Sprintf("\t... (%d frames)", 102-maxFrames)) || strings.Contains(msg, "jsonnet/lib/") {
		t.Errorf("the stack is not cropped as it should be:\n%s", msg)
	}
}
